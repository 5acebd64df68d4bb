using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>Creating, deleting and moving agreements through their lifecycle; bad input changes nothing.</summary>
public sealed class AgreementCommandTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task Create_WhenValid_ShouldReturn201WithLocationETagAndTheAgreement()
    {
        var key = await CreateKeyAsync("agreements:write");

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(await PartnerIdAsync())));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"v1\"", response.Headers.ETag!.Tag);
        var stored = await GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal("大阪府との覚書（第二期）", stored["title"]!["ja"]!.GetValue<string>());
        Assert.Equal("osaka-prefecture", stored["partner"]!["slug"]!.GetValue<string>());
        Assert.Equal(14, stored["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(4, stored["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"type":"mou","title":{"ja":"題"},"signedOn":"2025-01","cooperation":{"scopes":["mutual-visits"]}}""", "partnerId" },
        { """{"partnerId":"PARTNER","type":"mou","title":{"ja":"  "},"signedOn":"2025-01","cooperation":{"scopes":["mutual-visits"]}}""", "title.ja" },
        { """{"partnerId":"PARTNER","type":"mou","title":{"ja":"題"},"signedOn":"2020-02-30","cooperation":{"scopes":["mutual-visits"]}}""", "signedOn" },
        { """{"partnerId":"PARTNER","type":"treaty","title":{"ja":"題"},"signedOn":"2025-01","cooperation":{"scopes":["mutual-visits"]}}""", "type" },
        { """{"partnerId":"PARTNER","type":"mou","title":{"ja":"題"},"signedOn":"2025-01","cooperation":{"scopes":[]}}""", "cooperation.scopes" },
        { """{"partnerId":"PARTNER","type":"mou","title":{"ja":"題"},"signedOn":"2025-01","cooperation":{"scopes":["Not A Code"]}}""", "cooperation.scopes[0]" },
        { """{"partnerId":"PARTNER","type":"mou","title":{"ja":"題"},"signedOn":"2025-01","cooperation":{"scopes":["mutual-visits"]},"colour":"red"}""", "$.colour" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_WhenBodyInvalid_ShouldReturn400WithTheFieldAndChangeNothing(string body, string field)
    {
        var key = await CreateKeyAsync("agreements:write");
        var json = body.Replace("PARTNER", await PartnerIdAsync(), StringComparison.Ordinal);
        var before = await SnapshotAsync();
        using var request = Request(HttpMethod.Post, "/api/v1/agreements", key);
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await Client.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors has no '{field}': {problem}");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Create_WhenPartnerDoesNotExist_ShouldReturn422AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(Guid.NewGuid().ToString())));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "agreement.partner-not-found");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Create_WhenScopeNotInVocabulary_ShouldReturn422AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(await PartnerIdAsync(), scopes: ["space-travel"])));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "agreement.unknown-scope");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Terminate_WhenAlreadyTerminated_ShouldReturn422AndKeepTheFirstTermination()
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, etag) = await CreateAgreementAsync(key);
        using var first = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/agreements/{id}/terminate", key, new { on = "2026-03-31", reason = "目的を達成" }, etag));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await SnapshotAsync();

        using var second = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/agreements/{id}/terminate", key, new { on = "2026-04-30", reason = "again" }, first.Headers.ETag!.Tag));

        await AssertProblemAsync(second, HttpStatusCode.UnprocessableEntity, "agreement.invalid-transition");
        Assert.Equal(before, await SnapshotAsync());
        var stored = await GetJsonAsync($"/api/v1/agreements/{id}");
        Assert.Equal("terminated", stored["status"]!.GetValue<string>());
        Assert.Equal("2026-03-31", stored["terminatedOn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Activate_WhenDraft_ShouldMakeItActiveAndCountItAsAPartnership()
    {
        var key = await CreateKeyAsync("agreements:write");
        var draft = new { partnerId = await PartnerIdAsync(), type = "mou", title = new { ja = "草案" }, signedOn = "2026-10", status = "draft", cooperation = new { scopes = new[] { "mutual-visits" }, isOpenEnded = false } };
        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, draft));
        var location = created.Headers.Location!.ToString();
        Assert.Null((await GetJsonAsync(location))["ordinal"]);

        using var activated = await Client.SendAsync(Request(HttpMethod.Post, location + "/activate", key, ifMatch: created.Headers.ETag!.Tag));

        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        var stored = await GetJsonAsync(location);
        Assert.Equal("active", stored["status"]!.GetValue<string>());
        Assert.Equal(14, stored["ordinal"]!["overall"]!.GetValue<long>());
    }

    [Fact]
    public async Task Delete_WhenCurrentETag_ShouldHideTheAgreementAndLeaveATombstoneInTheFeed()
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, etag) = await CreateAgreementAsync(key);

        using var response = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/agreements/{id}", key, ifMatch: etag));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await GetProblemAsync($"/api/v1/agreements/{id}", HttpStatusCode.NotFound, "agreement.not-found");
        var history = (await GetSyncJsonAsync($"/api/v1/agreements/{id}/history")).AsArray();
        Assert.Equal(["created", "deleted"], history.Select(h => h!["operation"]!.GetValue<string>()));
        var feed = await GetSyncJsonAsync("/api/v1/changes?limit=1000");
        var last = feed["items"]!.AsArray()[^1]!;
        Assert.Equal("deleted", last["operation"]!.GetValue<string>());
        Assert.Equal(id, last["resourceId"]!.GetValue<string>());
        Assert.Equal(2, last["version"]!.GetValue<int>());
    }
}
