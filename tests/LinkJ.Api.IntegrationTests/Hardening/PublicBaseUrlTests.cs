using System.Net;
using System.Xml.Linq;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 2: no response builds an absolute URL from the request's Host (or scheme), so a forged Host cannot put
/// an attacker's links into a cached body: they come from the configured public base URL.
/// </summary>
public sealed class PublicBaseUrlTests(ApiFactory factory) : WriteTest(factory)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task Feed_WhenTheHostHeaderIsForged_ShouldLinkOnlyToThePublicBaseUrl()
    {
        await CreateAgreementAsync(await CreateKeyAsync("agreements:write")); // nothing cached for this version yet

        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements/feed.atom?lang=en"))
        {
            forged.Headers.Host = "attacker.example";
            using var response = await Client.SendAsync(forged);
            Assert.DoesNotContain("attacker.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var hrefs = await FeedLinksAsync(Client, "/api/v1/agreements/feed.atom?lang=en");

        Assert.NotEmpty(hrefs);
        Assert.All(hrefs, href => Assert.True(
            href.StartsWith("https://www.link-j.org/", StringComparison.Ordinal) || href.StartsWith("http://localhost:5080/api/v1/", StringComparison.Ordinal), href));
    }

    [Fact]
    public async Task Feed_WhenAPublicBaseUrlIsConfigured_ShouldBuildItsLinksOnIt()
    {
        await using var host = Factory.WithWebHostBuilder(builder => builder.UseSetting("PublicBaseUrl", "https://api.link-j.example/base/"));
        using var client = host.CreateClient();

        var hrefs = await FeedLinksAsync(client, "/api/v1/agreements/feed.atom");

        Assert.Contains(hrefs, href => href == "https://api.link-j.example/base/api/v1/agreements/feed.atom");
        Assert.Contains(hrefs, href => href.StartsWith("https://api.link-j.example/base/api/v1/agreements/", StringComparison.Ordinal) && !href.EndsWith("feed.atom", StringComparison.Ordinal));
    }

    private static async Task<List<string>> FeedLinksAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. XDocument.Parse(text).Descendants(Atom + "link").Select(link => (string)link.Attribute("href")!)];
    }
}
