using System.Net;
using System.Net.Http.Headers;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>Issue 15, item 7: a response served from the body cache is byte- and header-identical to the one computed.</summary>
public sealed class CacheHitIdentityTests(ApiFactory factory) : WriteTest(factory)
{
    /// <summary>Headers that belong to one request, not to the representation.</summary>
    private static readonly HashSet<string> PerRequest = new(StringComparer.OrdinalIgnoreCase) { "Date", "RateLimit", "RateLimit-Policy", "traceparent", "X-Request-Id" };

    [Theory]
    [InlineData("/api/v1/agreements?limit=2&country=GB", "")]
    [InlineData("/api/v1/agreements?format=csv", "")]
    [InlineData("/api/v1/agreements?limit=3", "text/csv")]
    [InlineData("/api/v1/agreements/feed.atom?lang=en", "")]
    [InlineData("/api/v1/agreements/{agreement}", "")]
    [InlineData("/api/v1/agreements/{agreement}/history", "")]
    [InlineData("/api/v1/partners?limit=2&lang=en", "")]
    [InlineData("/api/v1/partners?format=csv", "")]
    [InlineData("/api/v1/partners/osaka-prefecture", "")]
    [InlineData("/api/v1/partners/osaka-prefecture/agreements?limit=1", "")]
    [InlineData("/api/v1/partners/osaka-prefecture/history", "")]
    [InlineData("/api/v1/cooperation-scopes", "")]
    [InlineData("/api/v1/stats", "")]
    [InlineData("/api/v1/changes?limit=2", "")]
    public async Task Get_WhenServedTwice_ShouldAnswerTheSameHeadersAndBytesFromTheCache(string url, string accept)
    {
        var key = await CreateKeyAsync("admin");
        var (agreement, _) = await CreateAgreementAsync(key); // a new data version: the first read below is computed
        var resolved = url.Replace("{agreement}", agreement, StringComparison.Ordinal);

        var (missStatus, missHeaders, missBody) = await GetAsync(resolved, accept, key);
        var (hitStatus, hitHeaders, hitBody) = await GetAsync(resolved, accept, key);

        Assert.Equal(HttpStatusCode.OK, missStatus);
        Assert.Equal(missStatus, hitStatus);
        Assert.Equal(missHeaders, hitHeaders);
        Assert.Equal(missBody, hitBody);
    }

    [Fact]
    public async Task ListAgreements_WhenServedFromTheCache_ShouldKeepTheLinkHeader()
    {
        await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));

        using var miss = await Client.GetAsync("/api/v1/agreements?limit=2&country=GB");
        using var hit = await Client.GetAsync("/api/v1/agreements?limit=2&country=GB");

        Assert.True(miss.Headers.Contains("Link"));
        Assert.Equal(miss.Headers.GetValues("Link"), hit.Headers.TryGetValues("Link", out var link) ? link : []);
    }

    private async Task<(HttpStatusCode Status, string Headers, byte[] Body)> GetAsync(string url, string accept, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept.Length > 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        using var response = await Client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(header => !PerRequest.Contains(header.Key))
            .OrderBy(header => header.Key, StringComparer.OrdinalIgnoreCase)
            .Select(header => header.Key.ToLowerInvariant() + ": " + string.Join(", ", header.Value));
        return (response.StatusCode, string.Join("\n", headers), await response.Content.ReadAsByteArrayAsync());
    }
}
