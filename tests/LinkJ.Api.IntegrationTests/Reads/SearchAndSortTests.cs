using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>q finds names in both languages regardless of case and full-/half-width; sorts page with the cursor.</summary>
public sealed class SearchAndSortTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("UCLA", "ucla")]
    [InlineData("ucla", "ucla")]
    [InlineData("ＵＣＬＡ", "ucla")]
    [InlineData("ｕｃｌａ", "ucla")]
    [InlineData("慶應", "keio-iab")]
    [InlineData("先端医療振興財団", "kobe-biomedical-innovation-cluster")] // a former name
    [InlineData("osaka prefecture", "osaka-prefecture")]
    [InlineData("ﾘｻｰﾁ", "kyoto-research-park")] // half-width katakana
    public async Task ListPartners_WhenSearching_ShouldFindThePartner(string q, string slug)
    {
        var items = (await GetJsonAsync($"/api/v1/partners?q={Uri.EscapeDataString(q)}"))["items"]!.AsArray();

        Assert.Equal([slug], items.Select(i => i!["slug"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListAgreements_WhenSearchingAJapaneseSubstring_ShouldFindEveryMatch()
    {
        var items = (await GetJsonAsync($"/api/v1/agreements?q={Uri.EscapeDataString("大阪")}"))["items"]!.AsArray();

        Assert.Equal(["osaka-prefecture"], items.Select(i => i!["partner"]!["slug"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("カリフォルニア大学", "ucsd ucla")]
    [InlineData("city", "medcity kawasaki-city yokohama-city")]
    [InlineData("50%", "")]
    [InlineData("zzz-nothing", "")]
    public async Task ListAgreements_WhenSearching_ShouldReturnExactlyTheMatches(string q, string slugs)
    {
        var items = (await GetJsonAsync($"/api/v1/agreements?q={Uri.EscapeDataString(q)}&limit=100"))["items"]!.AsArray();

        Assert.Equal(slugs.Split(' ', StringSplitOptions.RemoveEmptyEntries), items.Select(i => i!["partner"]!["slug"]!.GetValue<string>()));
    }

    /// <summary>
    /// Page by page, a search runs both of its plans (ADR 0031): a page the signing-order walk fills, a last page it
    /// cannot fill (answered from the trigram indexes), and, the second time through, the plan the process learnt for
    /// the term. Every way gives the same agreements in the same order as one page of all of them.
    /// </summary>
    [Theory]
    [InlineData("signedOn")]
    [InlineData("-signedOn")]
    public async Task ListAgreements_WhenASearchIsPagedTwice_ShouldGiveTheOnePageAnswerBothTimes(string sort)
    {
        var all = (await GetJsonAsync($"/api/v1/agreements?q=city&sort={sort}&limit=100"))["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<string>()).ToList();

        for (var pass = 0; pass < 2; pass++)
        {
            var paged = new List<string>();
            string? cursor = null;
            do
            {
                var page = await GetJsonAsync($"/api/v1/agreements?q=city&sort={sort}&limit=1" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
                paged.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
                cursor = page["next"]?.GetValue<string>();
            }
            while (cursor is not null && paged.Count < 10);

            Assert.Equal(3, all.Count);
            Assert.Equal(all, paged);
        }
    }

    [Fact]
    public async Task ListAgreements_WhenFilteredByYearAndKind_ShouldCombine()
    {
        var items = (await GetJsonAsync("/api/v1/agreements?year=2019&partnerKind=local-government"))["items"]!.AsArray();

        Assert.Equal(["yokohama-city"], items.Select(i => i!["partner"]!["slug"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("-signedOn", "en")]
    [InlineData("name", "en")]
    [InlineData("-name", "ja")]
    [InlineData("name", "ja")]
    public async Task ListAgreements_WhenSortedAndWalkedWithTheCursor_ShouldReturnEveryAgreementOnceInOrder(string sort, string lang)
    {
        var seen = new List<(string Slug, string Key)>();
        var url = $"/api/v1/agreements?sort={sort}&lang={lang}&limit=4";
        while (url is not null)
        {
            var page = await GetJsonAsync(url);
            seen.AddRange(page["items"]!.AsArray().Select(i => (
                i!["partner"]!["slug"]!.GetValue<string>(),
                sort.EndsWith("name", StringComparison.Ordinal) ? i["partner"]!["displayName"]!.GetValue<string>() : i["signedOn"]!.GetValue<string>())));
            url = page["next"] is { } next ? $"/api/v1/agreements?sort={sort}&lang={lang}&limit=4&cursor={Uri.EscapeDataString(next.GetValue<string>())}" : null;
        }

        Assert.Equal(13, seen.Select(s => s.Slug).Distinct().Count());
        Assert.Equal(13, seen.Count);
        var keys = seen.Select(s => s.Key).ToList();
        var expected = sort.StartsWith('-') ? keys.OrderByDescending(k => k, StringComparer.Ordinal) : keys.OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(expected, keys);
    }

    [Fact]
    public async Task ListPartners_WhenSortedByNameInEnglish_ShouldOrderByEnglishNames()
    {
        var names = (await GetJsonAsync("/api/v1/partners?sort=name&lang=en&limit=100"))["items"]!.AsArray()
            .Select(i => i!["localized"]!["name"]!.GetValue<string>()).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal("Biocom", names[0]);
    }

    [Fact]
    public async Task ListAgreements_WhenCursorOfAnotherSort_ShouldReturn400()
    {
        var next = (await GetJsonAsync("/api/v1/agreements?limit=2"))["next"]!.GetValue<string>();

        await GetProblemAsync($"/api/v1/agreements?sort=name&cursor={Uri.EscapeDataString(next)}", HttpStatusCode.BadRequest, "validation.failed");
    }

    [Theory]
    [InlineData("q=%20%20")]
    [InlineData("year=1800")]
    [InlineData("sort=date")]
    public async Task ListAgreements_WhenSearchOrSortInvalid_ShouldReturn400(string query)
    {
        await GetProblemAsync($"/api/v1/agreements?{query}", HttpStatusCode.BadRequest, "validation.failed");
    }
}
