using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>JSON Merge Patch (RFC 7396) of agreements and partners: only what the patch names changes; a bad patch changes nothing.</summary>
public sealed class MergePatchTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private async Task<string> OsakaAgreementUrlAsync() =>
        "/api/v1/agreements/" + (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}/agreements"))["items"]![0]!["id"]!.GetValue<string>();

    [Fact]
    public async Task PatchAgreement_WhenOnlyTitleEnChanges_ShouldKeepEverythingElse()
    {
        var key = await CreateKeyAsync("agreements:write");
        var url = await OsakaAgreementUrlAsync();
        var before = (await GetJsonAsync(url)).AsObject();

        var patched = await SendAsync(PatchRequest(url, key, """{"title":{"en":"MOU with Osaka Prefecture (revised)"}}""", "\"v1\""), HttpStatusCode.OK);

        Assert.Equal("\"v2\"", patched.ETag);
        var after = (await GetJsonAsync(url)).AsObject();
        Assert.Equal(before["title"]!["ja"]!.GetValue<string>(), after["title"]!["ja"]!.GetValue<string>());
        Assert.Equal("MOU with Osaka Prefecture (revised)", after["title"]!["en"]!.GetValue<string>());
        Assert.Equal(2, after["version"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(Without(before, "title", "version", "updatedAt"), Without(after, "title", "version", "updatedAt")),
            $"before: {before}\nafter: {after}");
    }

    [Theory]
    [InlineData("""{"sourceNote":null}""", "sourceNote")]
    [InlineData("""{"title":{"en":null}}""", "title.en")]
    public async Task PatchAgreement_WhenMemberIsNull_ShouldRemoveItAndKeepTheRest(string patch, string removed)
    {
        var key = await CreateKeyAsync("agreements:write");
        var url = await OsakaAgreementUrlAsync();
        var before = (await GetJsonAsync(url)).AsObject();
        Assert.NotNull(Member(before, removed));

        await SendAsync(PatchRequest(url, key, patch, "\"v1\""), HttpStatusCode.OK);

        var after = (await GetJsonAsync(url)).AsObject();
        Assert.Null(Member(after, removed));
        Assert.Equal(2, after["version"]!.GetValue<int>());
        var top = removed.Split('.')[0];
        Assert.True(JsonNode.DeepEquals(Without(before, top, "version", "updatedAt"), Without(after, top, "version", "updatedAt")),
            $"before: {before}\nafter: {after}");
    }

    [Fact]
    public async Task PatchAgreement_WhenContentTypeIsJson_ShouldReturn415AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var url = await OsakaAgreementUrlAsync();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(RawRequest(HttpMethod.Patch, url, key, """{"title":{"en":"x"}}""", "\"v1\"", "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported-media-type");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    [InlineData("""{"title":""")]
    [InlineData("")]
    public async Task PatchAgreement_WhenBodyIsNotAJsonObject_ShouldReturn400AndChangeNothing(string body)
    {
        var key = await CreateKeyAsync("agreements:write");
        var url = await OsakaAgreementUrlAsync();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(PatchRequest(url, key, body, "\"v1\""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("""{"cooperation":{"scopes":[]}}""", "cooperation.scopes")]
    [InlineData("""{"title":{"ja":" "}}""", "title.ja")]
    [InlineData("""{"colour":"red"}""", "$.colour")]
    [InlineData("""{"signedOn":null}""", "signedOn")]
    public async Task PatchAgreement_WhenResultIsInvalid_ShouldReturn400WithTheFieldAndChangeNothing(string patch, string field)
    {
        var key = await CreateKeyAsync("agreements:write");
        var url = await OsakaAgreementUrlAsync();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(PatchRequest(url, key, patch, "\"v1\""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?.AsObject().ContainsKey(field) == true, $"errors has no '{field}': {problem}");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task PatchAgreement_WhenETagStale_ShouldReturn412WithTheCurrentETagAndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var url = await OsakaAgreementUrlAsync();
        await SendAsync(PatchRequest(url, key, """{"title":{"en":"first"}}""", "\"v1\""), HttpStatusCode.OK);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(PatchRequest(url, key, """{"title":{"en":"second"}}""", "\"v1\""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "version.stale");
        Assert.Equal("\"v2\"", response.Headers.ETag?.Tag);
        Assert.Equal("\"v2\"", problem["currentETag"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task PatchAgreement_WhenIfMatchMissing_ShouldReturn428AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var url = await OsakaAgreementUrlAsync();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(PatchRequest(url, key, """{"title":{"en":"x"}}""", ifMatch: null));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "precondition.required");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task PatchPartner_WhenShortNameChanges_ShouldStoreItAndRecordOnlyThatField()
    {
        var key = await CreateKeyAsync("partners:write");
        var url = $"/api/v1/partners/{OsakaPartnerSlug}";
        var before = (await GetJsonAsync(url)).AsObject();

        var patched = await SendAsync(PatchRequest(url, key, """{"shortName":"OSK"}""", "\"v1\""), HttpStatusCode.OK);

        Assert.Equal("\"v2\"", patched.ETag);
        var after = (await GetJsonAsync(url)).AsObject();
        Assert.Equal("OSK", after["shortName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(Without(before, "shortName", "version", "updatedAt"), Without(after, "shortName", "version", "updatedAt")),
            $"before: {before}\nafter: {after}");
        var last = (await HistoryAsync(url))[^1]!;
        Assert.Equal("updated", last["operation"]!.GetValue<string>());
        Assert.Equal(2, last["version"]!.GetValue<int>());
        Assert.Equal("test-partners-write", last["actor"]!.GetValue<string>());
        Assert.Equal(["shortName"], last["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    private static JsonObject Without(JsonObject resource, params string[] members)
    {
        var copy = resource.DeepClone().AsObject();
        foreach (var member in members)
        {
            copy.Remove(member);
        }

        return copy;
    }

    private static JsonNode? Member(JsonObject resource, string dottedPath) =>
        dottedPath.Split('.').Aggregate<string, JsonNode?>(resource, (node, name) => node?[name]);
}
