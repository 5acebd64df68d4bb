using System.Net;
using System.Net.Http.Headers;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 3: the change feed and the histories (which name the API key behind every write) need an API key with
/// <c>sync:read</c> (or <c>admin</c>); public reads stay anonymous.
/// </summary>
public sealed class SyncReadScopeTests(ApiFactory factory) : WriteTest(factory)
{
    public static TheoryData<string> Protected => new()
    {
        "/api/v1/changes",
        "/api/v1/changes?limit=5",
        "/api/v1/partners/osaka-prefecture/history",
        "/api/v1/agreements/" + LinkJ.Api.OpenApi.Examples.OsakaAgreementId + "/history",
    };

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Get_WhenAnonymous_ShouldReturn401(string url)
    {
        // Twice: the second must not come from a cache either.
        for (var i = 0; i < 2; i++)
        {
            using var response = await Client.GetAsync(url);
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Get_WhenTheKeyOnlyWrites_ShouldReturn403(string url)
    {
        var key = await CreateKeyAsync("agreements:write", "partners:write");

        using var response = await SendAsync(url, key);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Get_WhenTheKeyHasSyncReadOrAdmin_ShouldReturn200AndNotBePubliclyCacheable(string url)
    {
        foreach (var scope in new[] { "sync:read", "admin" })
        {
            var key = await CreateKeyAsync(scope);
            using var response = await SendAsync(url, key);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{scope}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.False(response.Headers.CacheControl!.Public);
            Assert.True(response.Headers.CacheControl.Private);
        }
    }

    [Fact]
    public async Task Get_WhenAnonymousAfterAKeyedRead_ShouldNotGet304FromTheSharedETag()
    {
        var key = await CreateKeyAsync("sync:read");
        using var keyed = await SendAsync("/api/v1/changes", key);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);

        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/api/v1/changes");
        anonymous.Headers.IfNoneMatch.Add(keyed.Headers.ETag!);
        using var response = await Client.SendAsync(anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/agreements")]
    [InlineData("/api/v1/partners/osaka-prefecture")]
    [InlineData("/api/v1/stats")]
    [InlineData("/api/v1/agreements/feed.atom")]
    public async Task Get_WhenAPublicReadIsAnonymous_ShouldStillReturn200(string url)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Public);
    }

    [Theory]
    [InlineData("/api/v1/changes")]
    [InlineData("/api/v1/partners/{idOrSlug}/history")]
    [InlineData("/api/v1/agreements/{id}/history")]
    public async Task OpenApiDocument_WhenServed_ShouldDeclareTheKeyAnd401And403OnSyncReads(string path)
    {
        var document = OpenApiRefs.Inline(await GetJsonAsync("/swagger/v1/swagger.json"));
        var operation = document["paths"]![path]!["get"]!;

        // Either header carries the key: one security requirement per scheme, as on the writes.
        Assert.Equal(["ApiKey", "ApiKeyAuthorization"], operation["security"]!.AsArray().Select(r => r!.AsObject().Single().Key).Order());
        Assert.NotNull(operation["responses"]!["401"]);
        Assert.NotNull(operation["responses"]!["403"]);
        Assert.Contains("sync:read", operation["description"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> SendAsync(string url, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return Client.SendAsync(request);
    }
}
