using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Writes;
using LinkJ.Domain.Common;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 11: a cursor carries any allowed sort key back intact: names with the old separator <c>|</c>, every
/// kind of allowed character, and the longest allowed name in multi-byte Japanese.
/// </summary>
public sealed class CursorEncodingTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private static readonly (string Slug, string Name)[] Names =
    [
        ("pipe-inside", "a|b"),
        ("pipe-only", "|"),
        ("pipes-everywhere", "||x||"),
        ("punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{}~ a.b"),
        ("kana-kanji", "ｶﾀｶﾅ・ひらがな・漢字・ＡＢＣ１２３"),
        ("astral", "𠮷野家🍣𝄞"),
        ("combining-and-rtl", "e\u0301 \u05D0\u05D1 \u200D\u00A0x"),
        ("inner-controls", "line\nbreak\ttab"),
        ("longest-japanese", new string('あ', BilingualText.MaxLength)),
        ("longest-astral", string.Concat(Enumerable.Repeat("𠮷", BilingualText.MaxLength / 2))),
    ];

    [Theory]
    [InlineData("ja", "name")]
    [InlineData("ja", "-name")]
    [InlineData("en", "name")]
    public async Task ListPartners_WhenPagingByNamePastEveryKindOfName_ShouldVisitEveryPartnerOnce(string lang, string sort)
    {
        var key = await CreateKeyAsync("admin");
        foreach (var (slug, name) in Names)
        {
            await CreatePartnerAsync(key, NewPartner(slug, name));
        }

        var total = (await GetJsonAsync("/api/v1/stats"))["totals"]!["partners"]!.GetValue<int>();
        var seen = await PageAsync($"/api/v1/partners?sort={sort}&limit=1&lang={lang}", "slug");

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(Names, name => Assert.Contains(name.Slug, seen));
        Assert.True(seen.Count >= total, $"{seen.Count} of {total}");
    }

    [Fact]
    public async Task ListAgreements_WhenPagingByPartnerNamePastNamesWithPipesAndTheLongestName_ShouldVisitEveryAgreementOnce()
    {
        var key = await CreateKeyAsync("admin");
        var created = new List<string>();
        foreach (var (slug, name) in Names)
        {
            var partner = await CreatePartnerAsync(key, NewPartner(slug, name));
            using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(partner.Body!["id"]!.GetValue<string>())));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var all = (await GetJsonAsync("/api/v1/agreements?limit=100"))["items"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToList();
        var seen = await PageAsync("/api/v1/agreements?sort=name&limit=1", "id");

        Assert.Equal(all.Order(), seen.Order());
    }

    [Fact]
    public async Task ListPartners_WhenTheCursorIsForTheLongestJapaneseName_ShouldBeAcceptedBack()
    {
        var key = await CreateKeyAsync("admin");
        await CreatePartnerAsync(key, NewPartner("longest-japanese", new string('漢', BilingualText.MaxLength)));

        // The long name sorts after every seeded Japanese name but before none: page to it and past it.
        var seen = await PageAsync("/api/v1/partners?sort=-name&limit=1", "slug");

        Assert.Contains("longest-japanese", seen);
    }

    [Fact]
    public async Task ListChanges_WhenTheCursorWasIssuedBeforeKeysWereLengthPrefixed_ShouldContinueAfterItsPosition()
    {
        var all = (await GetSyncJsonAsync("/api/v1/changes?limit=1000"))["items"]!.AsArray();
        var position = await Factory.ScalarAsync<long>("SELECT position FROM changes ORDER BY position OFFSET 2 LIMIT 1");
        // The format of the previous release: base64url("changes|<position>") "." base64url(first 6 bytes of its SHA-256).
        var payload = System.Text.Encoding.UTF8.GetBytes($"changes|{position}");
        var legacy = System.Buffers.Text.Base64Url.EncodeToString(payload) + "."
                     + System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(payload).AsSpan(0, 6));

        var page = await GetSyncJsonAsync($"/api/v1/changes?limit=1000&after={Uri.EscapeDataString(legacy)}");

        Assert.Equal(all.Skip(3).Select(c => c!["cursor"]!.GetValue<string>()), page["items"]!.AsArray().Select(c => c!["cursor"]!.GetValue<string>()));
    }

    /// <summary>Follows <c>next</c> from <paramref name="url"/> to the end; the <paramref name="field"/> of every item, in order.</summary>
    private async Task<List<string>> PageAsync(string url, string field)
    {
        var seen = new List<string>();
        string? next = null;
        for (var pages = 0; pages < 200; pages++)
        {
            var page = await GetJsonAsync(next is null ? url : url + "&cursor=" + Uri.EscapeDataString(next));
            seen.AddRange(page["items"]!.AsArray().Select(item => item![field]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
            if (next is null)
            {
                return seen;
            }
        }

        throw new InvalidOperationException("More than 200 pages.");
    }
}
