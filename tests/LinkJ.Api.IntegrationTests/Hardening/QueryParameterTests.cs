using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 1: a query string cannot poison the body cache. Unknown parameters are refused (400 naming them), and
/// the cache key encodes names and values so that no two different queries share it.
/// </summary>
public sealed class QueryParameterTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task ListAgreements_WhenAnEncodedNameSpellsTheFiltersFirst_ShouldStillAnswerTheFilteredListAfterwards()
    {
        await BustCacheAsync();

        // One unknown parameter named "country=US&partnerKind" with the value "university".
        using (var forged = await Client.GetAsync("/api/v1/agreements?country%3DUS%26partnerKind=university"))
        {
            Assert.NotEqual(HttpStatusCode.OK, forged.StatusCode);
        }

        var page = await GetJsonAsync("/api/v1/agreements?country=US&partnerKind=university");

        Assert.Equal(2, page["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ListAgreements_WhenAKnownValueSpellsAnotherParameter_ShouldNotShareTheCacheEntryOfThatQuery()
    {
        await BustCacheAsync();

        // q is free text: "大阪&sort=name" finds nothing, and must not answer for q=大阪&sort=name.
        var forged = await GetJsonAsync("/api/v1/agreements?q=%E5%A4%A7%E9%98%AA%26sort%3Dname");
        Assert.Empty(forged["items"]!.AsArray());

        var real = await GetJsonAsync("/api/v1/agreements?q=%E5%A4%A7%E9%98%AA&sort=name");

        Assert.NotEmpty(real["items"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/v1/agreements?country%3DUS%26partnerKind=university", "country=US&partnerKind")]
    [InlineData("/api/v1/agreements?limit=5&utm_source=x", "utm_source")]
    [InlineData("/api/v1/stats?cachebuster=123", "cachebuster")]
    [InlineData("/api/v1/cooperation-scopes?limit=5", "limit")]
    [InlineData("/api/v1/partners/osaka-prefecture?cursor=x", "cursor")]
    [InlineData("/api/v1/agreements/feed.atom?sort=name", "sort")]
    public async Task Get_WhenAnUnknownQueryParameterIsGiven_ShouldReturn400NamingIt(string url, string name)
    {
        var problem = await GetProblemAsync(url, HttpStatusCode.BadRequest, "query.unknown-parameter");

        Assert.True(problem["errors"]!.AsObject().ContainsKey(name), problem.ToJsonString());
    }

    [Theory]
    [InlineData("/api/v1/agreements?country=JP&partnerKind=local-government&scope=event-cooperation&status=active&year=2020&signedFrom=2016-01&signedTo=2025-12&sort=name&limit=5&q=%E5%A4%A7%E9%98%AA&lang=en&format=json")]
    [InlineData("/api/v1/partners?country=JP&kind=local-government&q=osaka&sort=name&limit=5&lang=ja&format=json")]
    [InlineData("/api/v1/agreements/feed.atom?country=JP&partnerKind=local-government&scope=event-cooperation&q=osaka&lang=en")]
    [InlineData("/api/v1/partners/osaka-prefecture/agreements?status=active&sort=-signedOn&limit=5&lang=en")]
    [InlineData("/api/v1/stats?lang=en")]
    public async Task Get_WhenEveryParameterIsTheOperationsOwn_ShouldReturn200(string url)
    {
        using var response = await Client.GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A write moves the data version, so that no entry cached by an earlier test answers.</summary>
    private async Task BustCacheAsync() => await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));
}
