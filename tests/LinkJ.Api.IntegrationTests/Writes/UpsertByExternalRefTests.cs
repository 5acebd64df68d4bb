using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>PUT by the client's own id: the first call creates, any retry (sequential or racing) never creates a second record.</summary>
public sealed class UpsertByExternalRefTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private const string AgreementByRef = "/api/v1/agreements/by-ref/crm/A-1024";
    private const string PartnerByRef = "/api/v1/partners/by-ref/crm/P-77";

    private Task<long> AgreementsWithRefAsync() =>
        Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE external_source = 'crm' AND external_id = 'A-1024'");

    private Task<long> PartnersWithRefAsync() =>
        Factory.ScalarAsync<long>("SELECT count(*) FROM partners WHERE external_source = 'crm' AND external_id = 'P-77'");

    private async Task<object> AgreementAsync(string titleJa = "大阪府との覚書（第二期）") => NewAgreement(await PartnerIdAsync(), titleJa);

    [Fact]
    public async Task UpsertAgreement_WhenFirstCall_ShouldReturn201WithLocationAndTheExternalRef()
    {
        var key = await CreateKeyAsync("agreements:write");

        var created = await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync()), HttpStatusCode.Created);

        var id = created.Body!["id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/agreements/{id}", created.Location);
        Assert.Equal("\"v1\"", created.ETag);
        Assert.Equal("crm", created.Body["externalRef"]!["source"]!.GetValue<string>());
        Assert.Equal("A-1024", created.Body["externalRef"]!["id"]!.GetValue<string>());
        var stored = await GetJsonAsync(created.Location!);
        Assert.Equal("crm", stored["externalRef"]!["source"]!.GetValue<string>());
        Assert.Equal("A-1024", stored["externalRef"]!["id"]!.GetValue<string>());
        Assert.Equal("active", stored["status"]!.GetValue<string>());
        Assert.Equal(1L, await AgreementsWithRefAsync());
    }

    [Fact]
    public async Task UpsertAgreement_WhenRetriedFiveTimes_ShouldReturn200EachTimeAndKeepOneAgreement()
    {
        var key = await CreateKeyAsync("agreements:write");
        var body = await AgreementAsync();
        var created = await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, body), HttpStatusCode.Created);
        var before = await SnapshotAsync();

        for (var retry = 0; retry < 5; retry++)
        {
            var again = await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, body), HttpStatusCode.OK);
            Assert.Equal(created.Body!["id"]!.GetValue<string>(), again.Body!["id"]!.GetValue<string>());
            Assert.Equal("\"v1\"", again.ETag);
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(1L, await AgreementsWithRefAsync());
    }

    [Fact]
    public async Task UpsertAgreement_WhenTenFirstCallsRace_ShouldCreateExactlyOne()
    {
        var key = await CreateKeyAsync("agreements:write");
        var body = await AgreementAsync();

        var answers = await RaceInsertsAsync("agreements", 10, async () =>
        {
            using var response = await Client.SendAsync(Request(HttpMethod.Put, AgreementByRef, key, body));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });

        var report = string.Join("\n", answers.Select(a => $"{(int)a.StatusCode} {a.Body}"));
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.Created) == 1, report);
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) == 9, report);
        Assert.Single(answers.Select(a => JsonNode.Parse(a.Body)!["id"]!.GetValue<string>()).Distinct());
        Assert.Equal(1L, await AgreementsWithRefAsync());
        Assert.Equal(1L, await Factory.ScalarAsync<long>(
            "SELECT count(*) FROM changes c JOIN agreements a ON a.id = c.resource_id WHERE a.external_source = 'crm' AND a.external_id = 'A-1024'"));
    }

    [Fact]
    public async Task UpsertAgreement_WhenChangedWithoutIfMatch_ShouldReturn428AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync()), HttpStatusCode.Created);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync("変更した題名")));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "precondition.required");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task UpsertAgreement_WhenChangedWithCurrentIfMatch_ShouldReturn200WithVersion2()
    {
        var key = await CreateKeyAsync("agreements:write");
        var created = await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync()), HttpStatusCode.Created);

        var changed = await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync("変更した題名"), created.ETag), HttpStatusCode.OK);

        Assert.Equal("\"v2\"", changed.ETag);
        Assert.Equal(2, changed.Body!["version"]!.GetValue<int>());
        Assert.Equal("A-1024", changed.Body["externalRef"]!["id"]!.GetValue<string>());
        var stored = await GetJsonAsync(created.Location!);
        Assert.Equal("変更した題名", stored["title"]!["ja"]!.GetValue<string>());
        Assert.Equal(1L, await AgreementsWithRefAsync());
    }

    [Fact]
    public async Task UpsertAgreement_WhenChangedWithStaleIfMatch_ShouldReturn412AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var created = await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync()), HttpStatusCode.Created);
        await SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync("最初の変更"), created.ETag), HttpStatusCode.OK);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, AgreementByRef, key, await AgreementAsync("古い版からの変更"), created.ETag));

        var problem = await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "version.stale");
        Assert.Equal("\"v2\"", response.Headers.ETag?.Tag);
        Assert.Equal("\"v2\"", problem["currentETag"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(AgreementByRef)]
    [InlineData(PartnerByRef)]
    public async Task Upsert_WhenIfMatchNamesAVersionButNoRecordHasTheReference_ShouldReturn412AndCreateNothing(string url)
    {
        // A client that believes it changes version 2 of a record the service does not have (never synced, or created
        // elsewhere) must learn so, not silently create a new one: the If-Match condition is false (RFC 9110 13.1.1).
        var key = await CreateKeyAsync("admin");
        object body = url == AgreementByRef ? await AgreementAsync() : NewPartner();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, url, key, body, "\"v2\""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "precondition.no-current-version");
        Assert.Null(problem["currentETag"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("/api/v1/agreements/by-ref/CRM!/A-1024")]
    [InlineData("/api/v1/agreements/by-ref/crm/%20A-1024")]
    public async Task UpsertAgreement_WhenReferenceInvalid_ShouldReturn400AndChangeNothing(string url)
    {
        var key = await CreateKeyAsync("agreements:write");
        var body = await AgreementAsync();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, url, key, body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("external-ref.invalid-", problem["code"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task UpsertPartner_WhenCreatedThenRetriedSequentiallyAndConcurrently_ShouldKeepOnePartner()
    {
        var key = await CreateKeyAsync("partners:write");
        var body = NewPartner("chiba-prefecture", "千葉県");

        var created = await SendAsync(Request(HttpMethod.Put, PartnerByRef, key, body), HttpStatusCode.Created);
        Assert.Equal("/api/v1/partners/chiba-prefecture", created.Location);
        Assert.Equal("\"v1\"", created.ETag);
        Assert.Equal("crm", created.Body!["externalRef"]!["source"]!.GetValue<string>());
        Assert.Equal("P-77", created.Body["externalRef"]!["id"]!.GetValue<string>());
        var before = await SnapshotAsync();

        var retried = await SendAsync(Request(HttpMethod.Put, PartnerByRef, key, body), HttpStatusCode.OK);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await Client.SendAsync(Request(HttpMethod.Put, PartnerByRef, key, body));
            return response.StatusCode;
        }));

        Assert.Equal(created.Body["id"]!.GetValue<string>(), retried.Body!["id"]!.GetValue<string>());
        Assert.Equal("\"v1\"", retried.ETag);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(1L, await PartnersWithRefAsync());
    }

    /// <remarks>
    /// The racing retries carry the same slug as well as the same id: whichever unique index the database checks first
    /// reports the race, and each loser must still answer 200 with the partner the winner created.
    /// </remarks>
    [Fact]
    public async Task UpsertPartner_WhenTenFirstCallsRace_ShouldCreateExactlyOne()
    {
        var key = await CreateKeyAsync("partners:write");
        var body = NewPartner("chiba-prefecture", "千葉県");

        var answers = await RaceInsertsAsync("partners", 10, async () =>
        {
            using var response = await Client.SendAsync(Request(HttpMethod.Put, PartnerByRef, key, body));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });

        var report = string.Join("\n", answers.Select(a => $"{(int)a.StatusCode} {a.Body}"));
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.Created) == 1, report);
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) == 9, report);
        Assert.Equal(1L, await PartnersWithRefAsync());
    }

    [Fact]
    public async Task UpsertPartner_WhenSourceInvalid_ShouldReturn400AndChangeNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, "/api/v1/partners/by-ref/CRM!/P-77", key, NewPartner("chiba-prefecture", "千葉県")));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "external-ref.invalid-source");
        Assert.Equal(before, await SnapshotAsync());
    }
}
