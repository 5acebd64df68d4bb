using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.Pages;
using LinkJ.Application.Agreements.Documents;
using LinkJ.Domain.Common;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Pages;

/// <summary>
/// Issue 19, items 4 and 6, over HTTP: the partnerships page in both languages, its filters, its 400 page, its caching
/// and its headers; the widget's script. What a browser shows is in <see cref="PartnershipsBrowserTests"/>.
/// </summary>
public sealed partial class PartnershipsPageTests(ApiFactory factory) : WriteTest(factory)
{
    [GeneratedRegex("<tbody>.*?</tbody>", RegexOptions.Singleline)]
    private static partial Regex Body();

    [GeneratedRegex("<tr[ >]")]
    private static partial Regex Row();

    private static int Rows(string html) => Row().Matches(Body().Match(html).Value).Count;

    private async Task<(HttpResponseMessage Response, string Html)> GetPageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_WhenJapanese_ShouldShowThe13PartnershipsAsTheReleaseDoes()
    {
        var (response, html) = await GetPageAsync("/partnerships");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ja", response.Content.Headers.ContentLanguage.Single());
        Assert.Contains("<html lang=\"ja\">", html);
        Assert.Equal(13, Rows(html));
        Assert.Contains("<time datetime=\"2016-05\">2016年5月</time>", html);
        Assert.Contains("カリフォルニア大学サンディエゴ校", html);
        Assert.Contains("<td>米国</td>", html);
        Assert.Contains("<td>フランス</td>", html);
        Assert.Contains("刊行物、資料、情報の交換", html);
        // Osaka: the latest, highlighted, the 13th and the 3rd with a local government.
        var latest = Regex.Match(html, "<tr class=\"latest\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("大阪府", latest);
        Assert.Contains("13例目", latest);
        Assert.Contains("自治体との3例目", latest);
        Assert.Contains("<time datetime=\"2020-09\">2020年9月</time>", latest);
        Assert.Single(Regex.Matches(html, "<h1>"));
    }

    [Fact]
    public async Task Get_WhenEnglish_ShouldShowThe13PartnershipsWithEnglishNamesAndRunningNumbers()
    {
        var (response, html) = await GetPageAsync("/en/partnerships");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Equal(13, Rows(html));
        Assert.Contains("<td>United States</td>", html);
        Assert.Contains("<td>United Kingdom</td>", html);
        var latest = Regex.Match(html, "<tr class=\"latest\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("Osaka Prefecture", latest);
        Assert.Contains("13th", latest);
        Assert.Contains("3rd with a local government", latest);
        Assert.Contains("September 2020", latest);
        Assert.Contains("hreflang=\"ja\" href=\"/partnerships\"", html);
    }

    [Theory]
    [InlineData("/en/partnerships?partnerKind=local-government", 3, "Kawasaki City", "Osaka Prefecture")]
    [InlineData("/en/partnerships?country=GB", 3, "One Nucleus", "MedCity")]
    [InlineData("/en/partnerships?year=2018", 4, "MedCity", "Kawasaki City")]
    [InlineData("/en/partnerships?country=JP&partnerKind=local-government&year=2020", 1, "Osaka Prefecture", "Osaka Prefecture")]
    [InlineData("/partnerships?country=&partnerKind=&year=", 13, "大阪府", "横浜市")]
    public async Task Get_WhenFiltered_ShouldShowOnlyTheMatchingPartnerships(string url, int rows, string first, string another)
    {
        var (response, html) = await GetPageAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(rows, Rows(html));
        Assert.Contains(first, html);
        Assert.Contains(another, html);
    }

    /// <summary>The filters are parsed once, into the values the query takes: a country in lower case filters and is the one the form shows chosen.</summary>
    [Fact]
    public async Task Get_WhenTheCountryIsInLowerCase_ShouldFilterByItAndShowItChosen()
    {
        var (response, html) = await GetPageAsync("/en/partnerships?country=gb&partnerKind=industry-association");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<option value=\"GB\" selected", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"industry-association\" selected", html, StringComparison.Ordinal);
        Assert.Equal(2, Rows(html));
        Assert.Contains("One Nucleus", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Oxford University Innovation", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/en/partnerships?country=Japan", "two-letter ISO 3166-1 code")]
    [InlineData("/en/partnerships?partnerKind=city", "A partner kind is one of")]
    [InlineData("/en/partnerships?year=20x0", "A year is four digits")]
    [InlineData("/en/partnerships?year=2020&year=2019", "Give year once")]
    [InlineData("/en/partnerships?page=2", "There is no filter named &#x27;page&#x27;")]
    [InlineData("/en/partnerships?cursor=bogus", "The cursor is not one this service issued")]
    [InlineData("/partnerships?partnerKind=%3Cscript%3E", "団体の種類は次のいずれかです")]
    public async Task Get_WhenAFilterIsBad_ShouldAnswer400InHtmlSayingWhich(string url, string message)
    {
        var (response, html) = await GetPageAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Rows(html));
        Assert.Null(response.Headers.ETag);
    }

    [Theory]
    [InlineData("/partnerships")]
    [InlineData("/en/partnerships?partnerKind=university")]
    public async Task Get_WhenIfNoneMatchNamesTheETag_ShouldAnswer304WithTheCachingHeaders(string url)
    {
        using var first = await Client.GetAsync(url);
        Assert.NotNull(first.Headers.ETag);
        Assert.Contains("public", first.Headers.CacheControl!.ToString());
        Assert.Contains("max-age=", first.Headers.CacheControl!.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_WhenThePagesDiffer_ShouldGiveEachItsOwnETag()
    {
        using var ja = await Client.GetAsync("/partnerships");
        using var en = await Client.GetAsync("/en/partnerships");
        using var filtered = await Client.GetAsync("/en/partnerships?year=2020");

        Assert.Equal(3, new[] { ja.Headers.ETag!.Tag, en.Headers.ETag!.Tag, filtered.Headers.ETag!.Tag }.Distinct().Count());
    }

    [Theory]
    [InlineData("/partnerships")]
    [InlineData("/en/partnerships")]
    public async Task Get_ShouldBeSmallAndAllowOnlyItsOwnInlineStyleByHash(string url)
    {
        var (response, html) = await GetPageAsync(url);

        Assert.True(Encoding.UTF8.GetByteCount(html) < 50 * 1024, $"{Encoding.UTF8.GetByteCount(html)} bytes");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("script-src", csp);
        Assert.StartsWith("default-src 'none';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        Assert.Contains($"style-src 'sha256-{hash}'", csp);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_WhenAPartnerNameHoldsMarkup_ShouldShowItAsText()
    {
        // Through the API, so that the data version moves and the cached page is computed again.
        var key = await CreateKeyAsync("partners:write");
        using var read = await Client.GetAsync("/api/v1/partners/osaka-prefecture");
        using var patch = Request(HttpMethod.Patch, "/api/v1/partners/osaka-prefecture", key, ifMatch: read.Headers.ETag!.ToString());
        patch.Content = new StringContent("{\"name\":{\"en\":\"<img src=x onerror=alert(1)>&\"}}", Encoding.UTF8, "application/merge-patch+json");
        using (var patched = await Client.SendAsync(patch))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var (_, html) = await GetPageAsync("/en/partnerships");

        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;&amp;", html);
    }

    [Fact]
    public async Task Widget_WhenFetchedFromAnotherOrigin_ShouldBeASmallScriptAllowedByCorsAndRevalidated()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WidgetScript.Path);
        request.Headers.Add("Origin", "https://partner.example");
        using var response = await Client.SendAsync(request);
        var script = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.True(script.Length < 10 * 1024, $"{script.Length} bytes");
        var text = Encoding.UTF8.GetString(script);
        Assert.DoesNotContain("innerHTML", text);
        Assert.DoesNotContain("/*TEXTS*/", text);
        Assert.Contains("\"local-government\":\"with a local government\"", text);

        using var again = new HttpRequestMessage(HttpMethod.Get, WidgetScript.Path);
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(response.Headers.ETag!.ToString()));
        using var revalidated = await Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Get_WhenOsakasReleaseIsSeededAsADocument_ShouldLinkItInTheLatestRow()
    {
        var html = await Client.GetStringAsync("/en/partnerships");

        var latest = Regex.Match(html, "<tr class=\"latest\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("href=\"https://www.link-j.org/\"", latest);
        Assert.Contains("hreflang=\"ja\"", latest);
    }

    [Fact]
    public async Task Get_WhenTheDocumentsFeatureGivesLinks_ShouldShowThemInTheDocumentsCellEncoded()
    {
        using var withDocuments = Factory.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddScoped<IPublicDocumentLinks, OsakaReleaseLink>()));
        using var client = withDocuments.CreateClient();

        var html = await client.GetStringAsync("/en/partnerships");

        var latest = Regex.Match(html, "<tr class=\"latest\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("<a href=\"/api/v1/agreements/doc/1\" hreflang=\"ja\" type=\"application/pdf\">Press release &lt;2020-09-07&gt;</a>", latest);
        Assert.Equal(12, Regex.Matches(html, "No public documents").Count);
    }

    /// <summary>What the documents feature will register: here, one link for the latest agreement.</summary>
    private sealed class OsakaReleaseLink : IPublicDocumentLinks
    {
        public Task<IReadOnlyDictionary<Guid, IReadOnlyList<PublicDocumentLink>>> ForAgreementsAsync(
            IReadOnlyCollection<Guid> agreementIds, Language language, CancellationToken cancellationToken)
        {
            var osaka = agreementIds.Last();
            IReadOnlyDictionary<Guid, IReadOnlyList<PublicDocumentLink>> links = new Dictionary<Guid, IReadOnlyList<PublicDocumentLink>>
            {
                [osaka] = [new PublicDocumentLink("Press release <2020-09-07>", "/api/v1/agreements/doc/1", "ja", "application/pdf", 1234)],
            };
            return Task.FromResult(links);
        }
    }
}
