using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>Creating, replacing and deleting partners; a taken slug, bad input or a wrong If-Match changes nothing.</summary>
public sealed class PartnerCommandTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private const string ValidBody = """{"slug":"kanagawa-prefecture","name":{"ja":"神奈川県","en":"Kanagawa Prefecture"},"kind":"local-government","country":"JP"}""";

    [Fact]
    public async Task Create_WhenValid_ShouldReturn201WithLocationETagAndAFeedEntry()
    {
        var key = await CreateKeyAsync("partners:write");

        var created = await CreatePartnerAsync(key);

        Assert.Equal("/api/v1/partners/kanagawa-prefecture", created.Location);
        Assert.Equal("\"v1\"", created.ETag);
        var stored = await GetJsonAsync("/api/v1/partners/kanagawa-prefecture");
        var id = stored["id"]!.GetValue<string>();
        Assert.Equal(created.Body!["id"]!.GetValue<string>(), id);
        Assert.Equal("神奈川県", stored["name"]!["ja"]!.GetValue<string>());
        Assert.Equal("local-government", stored["kind"]!.GetValue<string>());
        Assert.Equal("KPG", stored["shortName"]!.GetValue<string>());
        Assert.Equal(1, stored["version"]!.GetValue<int>());
        var last = (await FeedAsync())[^1]!;
        Assert.Equal("partner", last["resourceType"]!.GetValue<string>());
        Assert.Equal(id, last["resourceId"]!.GetValue<string>());
        Assert.Equal("created", last["operation"]!.GetValue<string>());
        Assert.Equal(1, last["version"]!.GetValue<int>());
        var entry = Assert.Single(await HistoryAsync(created.Location!))!;
        Assert.Equal("created", entry["operation"]!.GetValue<string>());
        Assert.Equal("test-partners-write", entry["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WhenSlugTaken_ShouldReturn409AndChangeNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key, NewPartner(OsakaPartnerSlug, "大阪府（重複）")));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "partner.slug-taken");
        Assert.True(problem["errors"]!.AsObject().ContainsKey("slug"), problem.ToJsonString());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Create_WhenTwoClientsTakeTheSameSlugAtOnce_ShouldCreateExactlyOne()
    {
        var key = await CreateKeyAsync("partners:write");

        var client = 0;
        var statuses = await RaceInsertsAsync("partners", 2, async () =>
        {
            using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key, NewPartner(nameJa: $"神奈川県{Interlocked.Increment(ref client)}")));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                await AssertProblemAsync(response, HttpStatusCode.Conflict, "partner.slug-taken");
            }

            return response.StatusCode;
        });

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], statuses.Order());
        Assert.Equal(1L, await Factory.ScalarAsync<long>("SELECT count(*) FROM partners WHERE slug = 'kanagawa-prefecture'"));
        Assert.Equal(1L, await Factory.ScalarAsync<long>(
            "SELECT count(*) FROM changes c JOIN partners p ON p.id = c.resource_id WHERE p.slug = 'kanagawa-prefecture'"));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { ValidBody.Replace("\"ja\":\"神奈川県\",", "", StringComparison.Ordinal), "name.ja" },
        { ValidBody.Replace("\"kanagawa-prefecture\"", "\"Kanagawa Pref\"", StringComparison.Ordinal), "slug" },
        { ValidBody.Replace("\"JP\"", "\"XX\"", StringComparison.Ordinal), "country" },
        { ValidBody.Replace("\"local-government\"", "\"alien\"", StringComparison.Ordinal), "kind" },
        { ValidBody[..^1] + ",\"website\":\"ftp://x\"}", "website" },
        { ValidBody[..^1] + ",\"colour\":\"red\"}", "$.colour" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_WhenBodyInvalid_ShouldReturn400WithTheFieldAndChangeNothing(string body, string field)
    {
        var key = await CreateKeyAsync("partners:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(RawRequest(HttpMethod.Post, "/api/v1/partners", key, body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors has no '{field}': {problem}");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Replace_WhenIfMatchMissing_ShouldReturn428AndChangeNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        await CreatePartnerAsync(key);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, "/api/v1/partners/kanagawa-prefecture", key, NewPartner(nameJa: "神奈川県（改）")));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "precondition.required");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Replace_WhenETagStale_ShouldReturn412WithTheCurrentETagAndKeepTheNewerData()
    {
        var key = await CreateKeyAsync("partners:write");
        var created = await CreatePartnerAsync(key);
        await SendAsync(Request(HttpMethod.Put, "/api/v1/partners/kanagawa-prefecture", key, NewPartner(nameJa: "最初の更新"), created.ETag), HttpStatusCode.OK);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, "/api/v1/partners/kanagawa-prefecture", key, NewPartner(nameJa: "古い版からの更新"), created.ETag));

        var problem = await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "version.stale");
        Assert.Equal("\"v2\"", response.Headers.ETag?.Tag);
        Assert.Equal("\"v2\"", problem["currentETag"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal("最初の更新", (await GetJsonAsync("/api/v1/partners/kanagawa-prefecture"))["name"]!["ja"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replace_WhenCurrentETag_ShouldReturn200WithV2AndStoreTheNewDetails()
    {
        var key = await CreateKeyAsync("partners:write");
        var created = await CreatePartnerAsync(key);

        var replaced = await SendAsync(Request(HttpMethod.Put, "/api/v1/partners/kanagawa-prefecture", key, NewPartner(nameJa: "神奈川県（改）", shortName: null), created.ETag), HttpStatusCode.OK);

        Assert.Equal("\"v2\"", replaced.ETag);
        Assert.Equal(2, replaced.Body!["version"]!.GetValue<int>());
        var stored = await GetJsonAsync("/api/v1/partners/kanagawa-prefecture");
        Assert.Equal("神奈川県（改）", stored["name"]!["ja"]!.GetValue<string>());
        Assert.Null(stored["shortName"]);
        Assert.Equal(2, stored["version"]!.GetValue<int>());
        var last = (await HistoryAsync("/api/v1/partners/kanagawa-prefecture"))[^1]!;
        Assert.Equal("updated", last["operation"]!.GetValue<string>());
        Assert.Equal(["name", "shortName"], last["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task Replace_WhenSameDetailsSentAgain_ShouldKeepV1AndChangeNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        var created = await CreatePartnerAsync(key);
        var before = await SnapshotAsync();

        var replaced = await SendAsync(Request(HttpMethod.Put, "/api/v1/partners/kanagawa-prefecture", key, NewPartner(), created.ETag), HttpStatusCode.OK);

        Assert.Equal("\"v1\"", replaced.ETag);
        Assert.Equal(1, replaced.Body!["version"]!.GetValue<int>());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Replace_WhenSeededPartnerSentBackAsRead_ShouldKeepV1AndChangeNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        var read = (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}")).AsObject();
        var input = new JsonObject();
        foreach (var field in new[] { "slug", "name", "shortName", "kind", "country", "region", "website", "formerNames" })
        {
            input[field] = read[field]?.DeepClone();
        }

        var before = await SnapshotAsync();

        var replaced = await SendAsync(RawRequest(HttpMethod.Put, $"/api/v1/partners/{OsakaPartnerSlug}", key, input.ToJsonString(), "\"v1\""), HttpStatusCode.OK);

        Assert.Equal("\"v1\"", replaced.ETag);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Delete_WhenPartnerHasAgreements_ShouldReturn409AndChangeNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/partners/{OsakaPartnerSlug}", key, ifMatch: "\"v1\""));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "partner.has-agreements");
        Assert.Equal(before, await SnapshotAsync());
        await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}");
    }

    [Fact]
    public async Task Delete_WhenPartnerHasNoAgreements_ShouldReturn204AndLeaveATombstone()
    {
        var key = await CreateKeyAsync("partners:write");
        var created = await CreatePartnerAsync(key);
        var id = created.Body!["id"]!.GetValue<string>();

        await SendAsync(Request(HttpMethod.Delete, "/api/v1/partners/kanagawa-prefecture", key, ifMatch: created.ETag), HttpStatusCode.NoContent);

        await GetProblemAsync("/api/v1/partners/kanagawa-prefecture", HttpStatusCode.NotFound, "partner.not-found");
        var history = await HistoryAsync($"/api/v1/partners/{id}");
        Assert.Equal(["created", "deleted"], history.Select(h => h!["operation"]!.GetValue<string>()));
        var last = (await FeedAsync())[^1]!;
        Assert.Equal("partner", last["resourceType"]!.GetValue<string>());
        Assert.Equal(id, last["resourceId"]!.GetValue<string>());
        Assert.Equal("deleted", last["operation"]!.GetValue<string>());
        Assert.Equal(2, last["version"]!.GetValue<int>());
    }
}
