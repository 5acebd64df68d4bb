using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>
/// A page's running numbers are computed for the page at once (<c>Ordinals.PageNumbers</c>, ADR 0057): a month with one
/// row of the page as that row alone would be, a month with more from the tallies before it and the agreements between
/// its rows, per kind. They must be exactly each row's own numbers, whatever rows make the page, in the reader's snapshot.
/// </summary>
public sealed class PageOrdinalTests(ApiFactory factory) : WriteTest(factory)
{
    /// <summary>Every counted agreement's numbers by a window function over the rows alone: the truth.</summary>
    private const string Expected = """
        SELECT a2.id,
               row_number() OVER (ORDER BY a2.signed_on, a2.seq) AS overall,
               row_number() OVER (PARTITION BY p.kind ORDER BY a2.signed_on, a2.seq) AS within
        FROM agreements a2 JOIN partners p ON p.id = a2.partner_id
        WHERE a2.deleted_at IS NULL AND a2.status <> 'draft' AND a2.supersedes_id IS NULL
        """;

    /// <summary>
    /// Pages of every shape (random groups of 1, 3, 7 and 21 agreements, windows of 21 in signing order, one page of
    /// everything, deleted and draft rows included): each counted row of each page must get the window function's
    /// numbers, once, and an uncounted row none.
    /// </summary>
    [Theory]
    [InlineData("(row_number() OVER (ORDER BY md5(a.id::text)) - 1) / 1")]
    [InlineData("(row_number() OVER (ORDER BY md5(a.id::text)) - 1) / 3")]
    [InlineData("(row_number() OVER (ORDER BY md5(a.id::text)) - 1) / 7")]
    [InlineData("(row_number() OVER (ORDER BY md5(a.id::text)) - 1) / 21")]
    [InlineData("(row_number() OVER (ORDER BY a.signed_on DESC, a.seq DESC) - 1) / 21")]
    [InlineData("(row_number() OVER (ORDER BY a.signed_on, a.seq) - 1) / 5")]
    [InlineData("(row_number() OVER (ORDER BY a.title_ja) - 1) / 21")]
    [InlineData("0")]
    public async Task PageNumbers_WhenAPageIsAnyGroupOfAgreements_ShouldGiveEachRowItsRankBySigningOrder(string pageOf)
    {
        await CreateBackdatedAsync(40);
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        var expected = await RowsAsync(connection, null, $"SELECT id, overall, within FROM ({Expected}) e");
        var pages = new Dictionary<long, List<Guid>>();
        await using (var command = new NpgsqlCommand($"SELECT {pageOf} AS page, a.id FROM agreements a", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var page = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
                (pages.TryGetValue(page, out var ids) ? ids : pages[page] = []).Add(reader.GetGuid(1));
            }
        }

        var numbered = new Dictionary<Guid, (long, long)>();
        foreach (var ids in pages.Values)
        {
            foreach (var (id, numbers) in await RowsAsync(connection, ids.ToArray(), NumberedPage))
            {
                Assert.True(numbered.TryAdd(id, numbers), $"{id} numbered twice");
            }
        }

        Assert.True(expected.Count > 40);
        Assert.Equal(expected.OrderBy(e => e.Key), numbered.OrderBy(n => n.Key));
    }

    /// <summary>The page of the agreements whose ids are <c>$1</c>, numbered as the API numbers a list's page.</summary>
    private static readonly string NumberedPage =
        $"WITH page AS (SELECT unnest($1::uuid[]) AS id),\n{LinkJ.Infrastructure.Queries.Ordinals.PageNumbers}\nSELECT id, overall, within_kind FROM ordinals";

    private static async Task<Dictionary<Guid, (long, long)>> RowsAsync(NpgsqlConnection connection, Guid[]? ids, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (ids is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
        }

        var rows = new Dictionary<Guid, (long, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetGuid(0), (reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }

    /// <summary>
    /// Both kinds of page the API numbers this way (a list, and a search's page in its two-plan statement, ADR 0031)
    /// must show for every agreement what a read by id shows.
    /// </summary>
    [Theory]
    [InlineData("/api/v1/agreements?limit=100")]
    [InlineData("/api/v1/agreements?limit=100&sort=-signedOn")]
    [InlineData("/api/v1/agreements?limit=100&sort=name")] // rows from many months
    [InlineData("/api/v1/agreements?limit=100&q=%E9%81%A1%E5%8F%8A")] // 遡及: shorter than a trigram, one plan
    [InlineData("/api/v1/agreements?limit=7&q=%E9%81%A1%E5%8F%8A%E3%83%86")] // 遡及テ: the walk
    [InlineData("/api/v1/partners/osaka-prefecture/agreements?limit=100")]
    public async Task List_WhenAPageIsNumberedAtOnce_ShouldShowWhatAReadByIdShows(string url)
    {
        await CreateBackdatedAsync(24);

        var items = (await GetJsonAsync(url))["items"]!.AsArray();

        Assert.NotEmpty(items);
        Assert.Contains(items, item => item!["ordinal"] is not null);
        foreach (var item in items)
        {
            var read = await GetJsonAsync($"/api/v1/agreements/{item!["id"]!.GetValue<string>()}");
            Assert.True(JsonNode.DeepEquals(read["ordinal"], item["ordinal"]), $"page:\n{item["ordinal"]}\nby id:\n{read["ordinal"]}");
        }
    }

    /// <summary>
    /// A reader's numbers are those of its snapshot: a backdated create committed while a repeatable-read transaction
    /// reads leaves that transaction's page numbers as they were (and equal to each row's own), and a new read sees
    /// every later agreement moved by one.
    /// </summary>
    [Fact]
    public async Task PageNumbers_WhenABackdatedCreateCommitsDuringARead_ShouldKeepTheReadersSnapshot()
    {
        var page = $"WITH page AS (SELECT id FROM agreements),\n{LinkJ.Infrastructure.Queries.Ordinals.PageNumbers}\n" +
                   "SELECT string_agg(o.id || ':' || o.overall || ':' || o.within_kind, ',' ORDER BY o.overall) FROM ordinals o";
        const string OneByOne = "SELECT string_agg(a.id || ':' || o.overall || ':' || o.within_kind, ',' ORDER BY o.overall) " +
                                "FROM agreements a, linkj_ordinals(linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id), a.partner_kind, a.signed_on, a.seq) o";
        await using var reader = new NpgsqlConnection(Factory.ConnectionString);
        await reader.OpenAsync();
        await using var transaction = await reader.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var before = await ScalarAsync(reader, transaction, page);

        var key = await CreateKeyAsync("agreements:write");
        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key,
            NewAgreement(await PartnerIdAsync(), "遡及", signedOn: "2016-01-02")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Equal(before, await ScalarAsync(reader, transaction, page));
        Assert.Equal(before, await ScalarAsync(reader, transaction, OneByOne));
        await transaction.CommitAsync();
        var after = await Factory.ScalarAsync<string>(page);
        Assert.NotEqual(before, after);
        Assert.Equal(await Factory.ScalarAsync<string>(OneByOne), after);
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// <paramref name="count"/> agreements in a few months of 2019–2020 (many in one month and on one day, both
    /// precisions, two kinds of partner, a draft in seven, one deleted in nine), so pages share months.
    /// </summary>
    private async Task CreateBackdatedAsync(int count)
    {
        var key = await CreateKeyAsync("agreements:write");
        var osaka = await PartnerIdAsync();
        using (var partner = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", await CreateKeyAsync("partners:write"),
                   new { slug = "kanagawa-prefecture", name = new { ja = "神奈川県" }, kind = "local-government", country = "JP" })))
        {
            Assert.Equal(HttpStatusCode.Created, partner.StatusCode);
        }

        var kanagawa = (await GetJsonAsync("/api/v1/partners/kanagawa-prefecture"))["id"]!.GetValue<string>();
        var random = new Random(55);
        for (var i = 0; i < count; i++)
        {
            var signedOn = random.Next(4) switch
            {
                0 => $"20{19 + random.Next(2)}-0{1 + random.Next(3)}",
                1 => "2019-02-14",
                _ => $"20{19 + random.Next(2)}-0{1 + random.Next(3)}-{1 + random.Next(28):00}",
            };
            var body = JsonSerializer.SerializeToNode(NewAgreement(i % 3 == 0 ? kanagawa : osaka, $"遡及テスト{i}", signedOn: signedOn))!.AsObject();
            body["status"] = i % 7 == 3 ? "draft" : "active";
            using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, body));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            if (i % 9 == 4)
            {
                using var deleted = await Client.SendAsync(Request(HttpMethod.Delete, created.Headers.Location!.ToString(), key, ifMatch: "\"v1\""));
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }
        }
    }
}
