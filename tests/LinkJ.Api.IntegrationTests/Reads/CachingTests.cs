using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LinkJ.Api.CompositionRoot;
using LinkJ.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>Strong ETags on every GET, 304 on If-None-Match, cache headers, and no stale read after a write.</summary>
public sealed class CachingTests(ApiFactory factory) : WriteTest(factory)
{
    [Theory]
    [InlineData("/api/v1/agreements")]
    [InlineData("/api/v1/partners/osaka-prefecture")]
    [InlineData("/api/v1/partners?country=JP")]
    [InlineData("/api/v1/cooperation-scopes")]
    [InlineData("/api/v1/agreements/feed.atom")]
    public async Task Get_WhenIfNoneMatchIsTheCurrentETag_ShouldReturn304WithoutABody(string url)
    {
        using var first = await Client.GetAsync(url);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=60, stale-while-revalidate=300", first.Headers.CacheControl!.ToString());
        Assert.Contains("Accept-Language", first.Headers.Vary);
        Assert.Contains("Accept", first.Headers.Vary);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
    }

    [Fact]
    public async Task Get_WhenRepeated_ShouldGiveTheSameETagAndBody()
    {
        using var first = await Client.GetAsync("/api/v1/agreements?limit=5");
        using var second = await Client.GetAsync("/api/v1/agreements?limit=5");

        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_WhenLanguageDiffers_ShouldGiveAnotherETag()
    {
        using var ja = await Client.GetAsync("/api/v1/partners/osaka-prefecture?lang=ja");
        using var en = await Client.GetAsync("/api/v1/partners/osaka-prefecture?lang=en");

        Assert.NotEqual(ja.Headers.ETag, en.Headers.ETag);
    }

    [Fact]
    public async Task Get_WhenAWriteHappened_ShouldServeTheNewDataAndANewETagAtOnce()
    {
        var key = await CreateKeyAsync("admin");
        using var before = await Client.GetAsync("/api/v1/partners/osaka-prefecture");
        var etag = before.Headers.ETag!;
        Assert.StartsWith("\"v1.", etag.Tag);

        // The read's ETag is accepted by If-Match on a write.
        using var patch = Request(HttpMethod.Patch, "/api/v1/partners/osaka-prefecture", key, ifMatch: etag.Tag);
        patch.Content = new StringContent("""{"shortName":"OSK"}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        using var patched = await Client.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/partners/osaka-prefecture");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var after = await Client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.StartsWith("\"v2.", after.Headers.ETag!.Tag);
        Assert.Contains("\"shortName\":\"OSK\"", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListAgreements_WhenAnAgreementWasAdded_ShouldNotServeTheCachedList()
    {
        using var before = await Client.GetAsync("/api/v1/agreements?limit=100");
        var key = await CreateKeyAsync("agreements:write");
        await CreateAgreementAsync(key);

        var after = await GetJsonAsync("/api/v1/agreements?limit=100");

        Assert.Equal(14, after["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Get_WhenManyClientsMissTheCacheAtOnce_ShouldAllGetTheSameFreshRepresentation()
    {
        var key = await CreateKeyAsync("agreements:write");
        await CreateAgreementAsync(key); // a new data version: every tag misses

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Client.GetAsync("/api/v1/stats");
            return (response.StatusCode, ETag: response.Headers.ETag?.Tag, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses.Select(r => r.ETag).Distinct());
        Assert.Single(responses.Select(r => r.Body).Distinct());
        Assert.Contains("\"partnerships\":14", responses[0].Body);
    }

    [Fact]
    public async Task Get_WhenTheQueryHasSeveralParameters_ShouldTagTheSha256OfTheRepresentationsKey()
    {
        // The key as the cache writes it (build, data version, path, today's date if asked, the query sorted by name,
        // language, Accept), each part length-prefixed; a non-BMP character in a value, and names out of order.
        const string path = "/api/v1/agreements";
        var versions = Factory.Services.GetRequiredService<IDataVersion>();
        var before = await versions.CurrentAsync(CancellationToken.None);
        using var response = await Client.GetAsync(path + "?q=" + Uri.EscapeDataString("大阪🌸") + "&lang=en&limit=2");
        var after = await versions.CurrentAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string TagAt(long version)
        {
            string?[] parts = [ServiceBuild.Current.Id, version.ToString(CultureInfo.InvariantCulture), path, null,
                "lang", "1", "en", "limit", "1", "2", "q", "1", "大阪🌸", "English", "json"];
            var key = string.Concat(parts.Select(part => (part ?? string.Empty).Length.ToString(CultureInfo.InvariantCulture) + ":" + part));
            return "\"" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 15).Replace('+', '-').Replace('/', '_') + "\"";
        }

        Assert.Contains(response.Headers.ETag!.Tag, new[] { TagAt(before), TagAt(after) });
    }
}
