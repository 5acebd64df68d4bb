using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Writes;
using LinkJ.Application.Common;
using LinkJ.Infrastructure.Queries;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>
/// A rare term is looked up in the trigram indexes by its rare parts only, and the whole term tested on what they find
/// (ADR 0047). The answer must be exactly the substring matches, whichever parts are chosen: each search is compared
/// with the same search done the plain way (every agreement's and partner's text tested), page by page.
/// </summary>
public sealed class SearchPiecesTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    [Fact]
    public void Of_WhenTheTermHasWordsNumbersAndJapanese_ShouldGiveItsAsciiRunsOfThreeOrMore()
    {
        Assert.Equal(["osaka", "university", "4321"], SearchPieces.Of("osaka university 4321"));
        Assert.Equal(["4321", "mou"], SearchPieces.Of("大阪 ab 4321との mou #4321"));
        Assert.Empty(SearchPieces.Of("大阪大学 ab"));
    }

    [Fact]
    public void Choose_WhenSomePartsAreRare_ShouldAskForTheRareOnesRarestFirst()
    {
        // 100 sampled texts: "osaka" in 7, "university" in 25, "zeta" in 1, "4321" and "quill" in none.
        var sample = Enumerable.Range(0, 100)
            .Select(i => (i < 7 ? "osaka " : "kobe ") + (i % 4 == 0 ? "university " : "institute ") + (i == 50 ? "zeta " : "") + i)
            .ToList();

        Assert.Equal(["4321"], SearchPieces.Choose("osaka university 4321", sample)); // never seen: "osaka" would cost more than it cuts
        Assert.Equal(["quill", "4321"], SearchPieces.Choose("osaka quill 4321", sample)); // as unseen as the rarest: narrows for free
        Assert.Equal(["zeta", "osaka"], SearchPieces.Choose("osaka university zeta", sample)); // seen once: "osaka" cuts its rows
        Assert.Empty(SearchPieces.Choose("kobe university", sample)); // every part common: the whole term
        Assert.Empty(SearchPieces.Choose("osaka university 4321", null)); // no statistics yet
        Assert.Empty(SearchPieces.Choose("osaka university 4321", sample.Take(SearchPieces.MinSample - 1).ToList()));
        Assert.Empty(SearchPieces.Choose("大阪大学", sample)); // nothing a trigram index can be asked for on its own
    }

    [Fact]
    public async Task ListAgreements_WhenTermsAreLookedUpByTheirRareParts_ShouldReturnExactlyTheSubstringMatches()
    {
        var key = await CreateKeyAsync("partners:write", "agreements:write");
        var rare = await CreatePartnerAsync(key, Partner("kestrel-7291", "ケストレル研究所 7291", "Kestrel Quillwort Institute 7291"));
        var other = await CreatePartnerAsync(key, Partner("kestrel-labs", "ケストレルラボ", "Kestrel Labs 7291-B"));
        var rareId = rare.Body!["id"]!.GetValue<string>();
        var otherId = other.Body!["id"]!.GetValue<string>();

        // Enough agreements for a histogram of their texts (the sample the rare parts are judged on).
        for (var i = 0; i < 30; i++)
        {
            var (partnerId, title) = (i % 3) switch
            {
                0 => (rareId, $"ケストレル研究所 7291との覚書 {i}"),
                1 => (otherId, $"共同研究契約 {i} mou with kestrel labs"),
                _ => (otherId, $"学術交流協定 {i}"),
            };
            await SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key,
                NewAgreement(partnerId, title, signedOn: $"20{10 + (i * 7 % 15):00}-0{1 + (i % 9)}-1{i % 10}")), HttpStatusCode.Created);
        }

        await AnalyzeAsync();
        var sample = await SampleAsync();
        Assert.NotEmpty(SearchPieces.Choose(Search.Normalize("Kestrel Quillwort Institute 7291"), sample)); // "quillwort" is in no title: the new path is the one tested

        string[] terms =
        [
            "Kestrel Quillwort Institute 7291", // a rare term: in one partner's name only (its titles are Japanese)
            "kestrel 7291", // its parts are everywhere among the Kestrel rows, the whole term nowhere
            "institute 7291",
            "7291-b", // a part of the other partner's name only
            "mou with kestrel", // spans words of the titles
            "labs 17", // no match: the parts match, together they do not
            "研究所 7291との", // Japanese with a rare number
            "7291",
            "覚書 2", // Japanese then a short number
            "ab", // shorter than a trigram: only the walk
            "zzz 9999",
        ];
        foreach (var term in terms)
        {
            await AssertSameAsPlainSearchAsync(term);
        }

        // After a rename the partner's new name finds its agreements and the old one no longer does.
        await SendAsync(PatchRequest("/api/v1/partners/kestrel-7291", key, """{"name":{"ja":"ハヤブサ研究所 8462","en":"Falcon Quillwort Institute 8462"}}""", rare.ETag),
            HttpStatusCode.OK);
        await AnalyzeAsync();
        foreach (var term in new[] { "Falcon Quillwort Institute 8462", "Kestrel Quillwort Institute 7291", "institute 8462", "研究所 7291" })
        {
            await AssertSameAsPlainSearchAsync(term);
        }

        Assert.Equal(10, (await IdsAsync("Falcon Quillwort Institute 8462", 100)).Count);
        Assert.Empty(await IdsAsync("Kestrel Quillwort Institute 7291", 100));
        Assert.Equal(10, (await IdsAsync("研究所 7291", 100)).Count); // still in the agreements' own (Japanese) titles
    }

    [Fact]
    public async Task ListAgreements_WhenAPartnerIsRenamed_ShouldFindItsAgreementsByTheNewNameOnTheWalkAndTheTrigramPathAndNotByTheOld()
    {
        var key = await CreateKeyAsync("partners:write", "agreements:write");
        var partner = await CreatePartnerAsync(key, Partner("merganser-5813", "アイサ学院", "Merganser Academy 5813"));
        var partnerId = partner.Body!["id"]!.GetValue<string>();
        for (var i = 0; i < 12; i++)
        {
            // Titles without the partner's name: only the partner's text (kept on the agreement row, ADR 0051) matches.
            await SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(partnerId, $"学術交流協定 {i}", signedOn: $"1987-{1 + i:00}-15")),
                HttpStatusCode.Created);
        }

        // Signed in 1987 only: within that year the walk meets these rows first. A page of 2 is filled by the walk;
        // a page of 100 is not (12 rows), so it is answered by the trigram indexes.
        const string Year = "&signedFrom=1987-01-01&signedTo=1987-12-31";
        Assert.Equal((2, true), await FirstPageAsync("Merganser Academy", 2, Year));
        Assert.Equal((12, false), await FirstPageAsync("Merganser Academy", 100, Year));

        await SendAsync(PatchRequest("/api/v1/partners/merganser-5813", key, """{"name":{"ja":"ウミアイサ学院","en":"Smew Academy 5813"}}""", partner.ETag),
            HttpStatusCode.OK);

        Assert.Equal((2, true), await FirstPageAsync("Smew Academy", 2, Year)); // the walk
        Assert.Equal((12, false), await FirstPageAsync("Smew Academy", 100, Year)); // the trigram indexes
        Assert.Equal((0, false), await FirstPageAsync("Merganser Academy", 2, Year));
        Assert.Equal((0, false), await FirstPageAsync("Merganser Academy", 100, Year));
        Assert.Equal(0L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE partner_search_text LIKE '%merganser academy%'"));
        Assert.Equal(12L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE partner_search_text LIKE '%smew academy%'"));
        Assert.Equal(0L, await Factory.ScalarAsync<long>(
            "SELECT count(*) FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.partner_search_text IS DISTINCT FROM p.search_text"));
        await AssertSameAsPlainSearchAsync("Smew Academy");
        await AssertSameAsPlainSearchAsync("Merganser Academy");
    }

    private async Task<(int Items, bool Next)> FirstPageAsync(string term, int limit, string filters)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?q={Uri.EscapeDataString(term)}&limit={limit}{filters}");
        return (page["items"]!.AsArray().Count, page["next"] is not null);
    }

    private static object Partner(string slug, string nameJa, string nameEn) => new
    {
        slug,
        name = new { ja = nameJa, en = nameEn },
        kind = "research-institute",
        country = "JP",
    };

    /// <summary>The API's answer, in one page and page by page (twice: the second time the plan it learnt), equals the plain search's.</summary>
    private async Task AssertSameAsPlainSearchAsync(string term)
    {
        var expected = await PlainSearchAsync(term);
        Assert.True(expected.SequenceEqual(await IdsAsync(term, 100)), $"q={term}: one page differs from the plain search ({expected.Count} rows)");
        for (var pass = 0; pass < 2; pass++)
        {
            Assert.True(expected.SequenceEqual(await IdsAsync(term, 3)), $"q={term}: pages of 3 differ from the plain search (pass {pass + 1})");
        }
    }

    private async Task<List<string>> IdsAsync(string term, int limit)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync($"/api/v1/agreements?q={Uri.EscapeDataString(term)}&limit={limit}" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
            ids.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        return ids;
    }

    private async Task<List<string>> PlainSearchAsync(string term)
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT a.id FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.deleted_at IS NULL " +
            "AND (a.search_text LIKE $1 ESCAPE '\\' OR p.search_text LIKE $1 ESCAPE '\\') ORDER BY a.signed_on, a.seq", connection);
        command.Parameters.AddWithValue(SearchTerm.Of(term).ContainsPattern);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0).ToString());
        }

        return ids;
    }

    private async Task AnalyzeAsync()
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("ANALYZE agreements; ANALYZE partners", connection);
        await command.ExecuteNonQueryAsync();
        AgreementQueries.ForgetSample();
    }

    private async Task<List<string>> SampleAsync()
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT v FROM pg_stats s, unnest(s.histogram_bounds::text::text[]) v WHERE s.tablename = 'agreements' AND s.attname = 'search_text'", connection);
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }
}
