using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Writes;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 8: conditional requests per RFC 9110 §13.1. If-None-Match compares weakly (a W/ tag matches), If-Match
/// strongly (a weak tag never matches); both take <c>*</c> and lists of tags.
/// </summary>
public sealed class ConditionalRequestTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private const string Osaka = "/api/v1/partners/osaka-prefecture";

    [Fact]
    public async Task Get_WhenIfNoneMatchIsTheWeakFormOfTheCurrentETag_ShouldReturn304()
    {
        var etag = await ETagAsync(Osaka);

        using var response = await GetWithAsync(Osaka, "If-None-Match", "W/" + etag);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Get_WhenIfNoneMatchListsTheCurrentETagAmongOthers_ShouldReturn304()
    {
        var etag = await ETagAsync("/api/v1/agreements?limit=3");

        using var response = await GetWithAsync("/api/v1/agreements?limit=3", "If-None-Match", $"\"v9.other\", W/\"x\",{etag}");

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Get_WhenIfNoneMatchOnlyEndsLikeTheCurrentETag_ShouldReturn200()
    {
        var etag = await ETagAsync("/api/v1/stats");

        using var response = await GetWithAsync("/api/v1/stats", "If-None-Match", "\"forged" + etag.Trim('"') + "\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Patch_WhenIfMatchIsTheWeakFormOfTheCurrentETag_ShouldReturn412AndChangeNothing()
    {
        var key = await CreateKeyAsync("admin");
        var etag = await ETagAsync(Osaka);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(PatchRequest(Osaka, key, """{"shortName":"OSK"}""", "W/" + etag));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "version.stale");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Patch_WhenIfMatchIsStar_ShouldApplyToTheCurrentRepresentation()
    {
        var key = await CreateKeyAsync("admin");

        var patched = await SendAsync(PatchRequest(Osaka, key, """{"shortName":"OSK"}""", "*"), HttpStatusCode.OK);

        Assert.Equal("OSK", patched.Body!["shortName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_WhenIfMatchListsTheCurrentETagAmongStaleOnes_ShouldApply()
    {
        var key = await CreateKeyAsync("admin");
        var etag = await ETagAsync(Osaka);

        var patched = await SendAsync(PatchRequest(Osaka, key, """{"shortName":"OSK"}""", $"\"v7\", {etag}"), HttpStatusCode.OK);

        Assert.Equal("OSK", patched.Body!["shortName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_WhenIfMatchListsOnlyStaleETags_ShouldReturn412()
    {
        var key = await CreateKeyAsync("admin");

        using var response = await Client.SendAsync(PatchRequest(Osaka, key, """{"shortName":"OSK"}""", "\"v7\", \"v8\""));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "version.stale");
    }

    [Fact]
    public async Task Delete_WhenIfMatchIsStarAndTheAgreementIsGone_ShouldNotDeleteTwice()
    {
        var key = await CreateKeyAsync("admin");
        var (id, _) = await CreateAgreementAsync(key);
        await SendAsync(Request(HttpMethod.Delete, $"/api/v1/agreements/{id}", key, ifMatch: "*"), HttpStatusCode.NoContent);

        using var again = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/agreements/{id}", key, ifMatch: "*"));

        Assert.True((int)again.StatusCode is >= 400 and < 500, $"{(int)again.StatusCode}");
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("\"v1\"")]
    public async Task UpsertAgreementByRef_WhenIfMatchIsGivenAndNothingExistsYet_ShouldReturn412AndCreateNothing(string ifMatch)
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, "/api/v1/agreements/by-ref/crm/NEW-1", key, NewAgreement(await PartnerIdAsync()), ifMatch));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "precondition.no-current-version");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task UpsertPartnerByRef_WhenIfMatchIsStarAndNothingExistsYet_ShouldReturn412AndCreateNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, "/api/v1/partners/by-ref/crm/P-1", key, NewPartner(), "*"));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "precondition.no-current-version");
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<string> ETagAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag!.Tag;
    }

    private async Task<HttpResponseMessage> GetWithAsync(string url, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation(header, value);
        return await Client.SendAsync(request);
    }
}
