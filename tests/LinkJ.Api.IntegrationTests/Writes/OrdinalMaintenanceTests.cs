using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>The running numbers every read derives (ADR 0033) are what the data says after every kind of change.</summary>
public sealed class OrdinalMaintenanceTests(ApiFactory factory) : WriteTest(factory)
{
    private const string FromWindowFunction = """
        SELECT count(*) FROM agreements_with_ordinals a
        JOIN (SELECT a2.id,
                     row_number() OVER (ORDER BY a2.signed_on, a2.seq) AS overall,
                     row_number() OVER (PARTITION BY p.kind ORDER BY a2.signed_on, a2.seq) AS within
              FROM agreements a2 JOIN partners p ON p.id = a2.partner_id
              WHERE a2.deleted_at IS NULL AND a2.status <> 'draft' AND a2.supersedes_id IS NULL) expected ON expected.id = a.id
        WHERE a.ordinal_overall IS DISTINCT FROM expected.overall OR a.ordinal_within_kind IS DISTINCT FROM expected.within
        """;

    [Fact]
    public async Task Create_WhenBackdatedBeforeOsaka_ShouldShiftOsakaTo14thAnd4thWithALocalGovernment()
    {
        var key = await CreateKeyAsync("agreements:write");
        var kanagawa = await CreatePartnerAsync("kanagawa-prefecture", "神奈川県", "local-government");

        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(kanagawa, signedOn: "2020-08-01")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var osaka = (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}/agreements"))["items"]![0]!;
        Assert.Equal(14, osaka["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(4, osaka["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
        Assert.Equal(0, await Factory.ScalarAsync<long>(FromWindowFunction));
    }

    /// <summary>
    /// A create answers from what its insert returned, without reading the agreement back (ADR 0014): its running
    /// numbers (set before the row is written) and everything else must be what a read finds afterwards.
    /// </summary>
    [Theory]
    [InlineData("2020-08-01", "active")] // before Osaka: the agreements after it are renumbered
    [InlineData("2026-11", "active")] // the latest: nothing after it
    [InlineData("2020-08-01", "draft")] // not counted: no number
    public async Task Create_WhenDatedAnywhere_ShouldAnswerWithWhatAReadThenFinds(string signedOn, string status)
    {
        var key = await CreateKeyAsync("agreements:write");
        var kanagawa = await CreatePartnerAsync("kanagawa-prefecture", "神奈川県", "local-government");
        var body = JsonSerializer.SerializeToNode(NewAgreement(kanagawa, signedOn: signedOn))!.AsObject();
        body["status"] = status;

        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, body));
        var answered = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var read = await GetJsonAsync($"/api/v1/agreements/{answered["id"]!.GetValue<string>()}");
        Assert.True(JsonNode.DeepEquals(read, answered), $"answered:\n{answered}\nread:\n{read}");
        Assert.Equal(status == "draft", answered["ordinal"] is null);
        Assert.Equal(0, await Factory.ScalarAsync<long>(FromWindowFunction));
    }

    [Fact]
    public async Task Delete_WhenAnEarlyAgreementGoes_ShouldRenumberTheRest()
    {
        var key = await CreateKeyAsync("agreements:write");
        var ucsd = (await GetJsonAsync("/api/v1/partners/ucsd/agreements"))["items"]![0]!["id"]!.GetValue<string>();

        using var deleted = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/agreements/{ucsd}", key, ifMatch: "\"v1\""));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var osaka = (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}/agreements"))["items"]![0]!;
        Assert.Equal(12, osaka["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(1, (await GetJsonAsync("/api/v1/partners/biocom/agreements"))["items"]![0]!["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(0, await Factory.ScalarAsync<long>(FromWindowFunction));
    }

    [Fact]
    public async Task ReplacePartner_WhenItsKindChanges_ShouldRenumberBothKinds()
    {
        var key = await CreateKeyAsync("admin");
        var partner = await GetJsonAsync("/api/v1/partners/kyoto-research-park");
        using var patch = Request(HttpMethod.Patch, "/api/v1/partners/kyoto-research-park", key, ifMatch: "\"v1\"");
        patch.Content = new StringContent("""{"kind":"foundation"}""", System.Text.Encoding.UTF8, "application/merge-patch+json");

        using var response = await Client.SendAsync(patch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("company", partner["kind"]!.GetValue<string>());
        Assert.Equal(1, (await GetJsonAsync("/api/v1/partners/kyoto-research-park/agreements"))["items"]![0]!["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
        Assert.Equal(2, (await GetJsonAsync("/api/v1/partners/kobe-biomedical-innovation-cluster/agreements"))["items"]![0]!["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
        Assert.Equal(1, (await GetJsonAsync("/api/v1/partners/oxford-university-innovation/agreements"))["items"]![0]!["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
        Assert.Equal(0, await Factory.ScalarAsync<long>(FromWindowFunction));
    }

    [Fact]
    public async Task ConcurrentWrites_WhenCreatingAndDeletingAtOnce_ShouldLeaveEveryOrdinalRight()
    {
        var key = await CreateKeyAsync("agreements:write");
        var partner = await PartnerIdAsync();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key,
                NewAgreement(partner, $"並行{i}", signedOn: $"20{10 + i}-0{1 + (i % 9)}")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            if (i % 3 == 0)
            {
                using var deleted = await Client.SendAsync(Request(HttpMethod.Delete, created.Headers.Location!.ToString(), key, ifMatch: "\"v1\""));
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }
        }));

        Assert.Equal(0, await Factory.ScalarAsync<long>(FromWindowFunction));
        Assert.Equal(13 + 8, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreement_ordinals"));
    }

    /// <summary>
    /// Importers create agreements dated in the past, many at once (issue 17). Writers no longer wait for each other, so
    /// every number must still come out right: 8 writers create 48 agreements dated anywhere in 2016–2020 (both
    /// precisions, some drafts), then every agreement's numbers, read through the API, must be its rank by signing
    /// order, computed here from the rows alone.
    /// </summary>
    [Fact]
    public async Task Create_WhenManyBackdatedCreatesRunAtOnce_ShouldGiveEveryAgreementItsRankBySigningOrder()
    {
        var key = await CreateKeyAsync("agreements:write");
        var osaka = await PartnerIdAsync();
        var kanagawa = await CreatePartnerAsync("kanagawa-prefecture", "神奈川県", "local-government");
        var random = new Random(17);
        var dates = Enumerable.Range(0, 48).Select(i => random.Next(3) == 0
            ? $"{2016 + random.Next(5)}-{1 + random.Next(12):00}"
            : new DateOnly(2016, 1, 1).AddDays(random.Next(5 * 365)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            for (var i = writer; i < dates.Length; i += 8)
            {
                var body = JsonSerializer.SerializeToNode(NewAgreement(i % 2 == 0 ? osaka : kanagawa, $"遡及{i}", signedOn: dates[i]))!.AsObject();
                body["status"] = i % 7 == 0 ? "draft" : "active";
                using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, body));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
        }));

        var rows = JsonNode.Parse((await Factory.ScalarAsync<string>(
            "SELECT json_agg(json_build_object('id', a.id, 'signed', a.signed_on, 'seq', a.seq, 'kind', p.kind, " +
            "'counted', a.status <> 'draft' AND a.supersedes_id IS NULL)) FROM agreements a JOIN partners p ON p.id = a.partner_id " +
            "WHERE a.deleted_at IS NULL"))!)!.AsArray();
        var counted = rows.Where(r => r!["counted"]!.GetValue<bool>())
            .OrderBy(r => r!["signed"]!.GetValue<string>(), StringComparer.Ordinal).ThenBy(r => r!["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(13 + 48 - 7, counted.Count);
        var expected = counted.Select((r, i) => (Id: r!["id"]!.GetValue<string>(), Overall: i + 1L,
            WithinKind: counted.Take(i + 1).LongCount(o => o!["kind"]!.GetValue<string>() == r["kind"]!.GetValue<string>())));
        foreach (var (id, overall, withinKind) in expected)
        {
            var ordinal = (await GetJsonAsync($"/api/v1/agreements/{id}"))["ordinal"]!;
            Assert.Equal((overall, withinKind), (ordinal["overall"]!.GetValue<long>(), ordinal["withinPartnerKind"]!.GetValue<long>()));
        }

        foreach (var draft in rows.Where(r => !r!["counted"]!.GetValue<bool>()))
        {
            Assert.Null((await GetJsonAsync($"/api/v1/agreements/{draft!["id"]!.GetValue<string>()}"))["ordinal"]);
        }

        Assert.Equal(0, await Factory.ScalarAsync<long>(FromWindowFunction));
    }

    /// <summary>
    /// The day tallies (ADR 0059) are what the rows say after every kind of write that moves them: creates on one day
    /// (both precisions), a delete, a status change to draft and back, a partner changing kind, and the sweep folding the
    /// stripes. Compared per kind and day with a count of the rows themselves.
    /// </summary>
    [Fact]
    public async Task DayTallies_WhenEveryKindOfWriteHasRun_ShouldEqualTheCountedRowsPerKindAndDay()
    {
        const string Differences = """
            SELECT count(*) FROM (
                SELECT kind, day, sum(count) AS n FROM partnership_day_tallies GROUP BY kind, day HAVING sum(count) <> 0) t
            FULL JOIN (
                SELECT p.kind, a.signed_on AS day, count(*) AS n FROM agreements a JOIN partners p ON p.id = a.partner_id
                WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL GROUP BY p.kind, a.signed_on) c
            USING (kind, day)
            WHERE t.n IS DISTINCT FROM c.n
            """;
        var key = await CreateKeyAsync("admin");
        var kanagawa = await CreatePartnerAsync("kanagawa-prefecture", "神奈川県", "local-government");
        var created = new List<string>();
        foreach (var (signedOn, status) in new[] { ("2020-08-01", "active"), ("2020-08-01", "draft"), ("2020-08", "active"), ("2019-03-15", "active") })
        {
            var body = JsonSerializer.SerializeToNode(NewAgreement(kanagawa, signedOn: signedOn))!.AsObject();
            body["status"] = status;
            using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, body));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            created.Add(response.Headers.Location!.ToString());
        }

        Assert.Equal(0, await Factory.ScalarAsync<long>(Differences));
        using (var deleted = await Client.SendAsync(Request(HttpMethod.Delete, created[0], key, ifMatch: "\"v1\"")))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // A draft that becomes active starts to count on its day; an agreement dated again moves from one day to another.
        using (var activated = await Client.SendAsync(Request(HttpMethod.Post, created[1] + "/activate", key, ifMatch: "\"v1\"")))
        {
            Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        }

        Assert.Equal(0, await Factory.ScalarAsync<long>(Differences));
        using (var patch = Request(HttpMethod.Patch, created[2], key, ifMatch: "\"v1\""))
        {
            patch.Content = new StringContent("""{"signedOn":"2018-12-24"}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
            using var patched = await Client.SendAsync(patch);
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal(0, await Factory.ScalarAsync<long>(Differences));
        using (var move = Request(HttpMethod.Patch, "/api/v1/partners/kanagawa-prefecture", key, ifMatch: "\"v1\""))
        {
            move.Content = new StringContent("""{"kind":"foundation"}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
            using var moved = await Client.SendAsync(move);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        Assert.Equal(0, await Factory.ScalarAsync<long>(Differences));
        Assert.True(await Factory.ScalarAsync<long>("SELECT count(*) FROM partnership_day_tallies WHERE stripe <> 0") > 0);
        await Factory.ScalarAsync<string>("SELECT fold_tallies()::text");
        Assert.Equal(0, await Factory.ScalarAsync<long>("SELECT count(*) FROM partnership_day_tallies WHERE stripe <> 0"));
        Assert.Equal(0, await Factory.ScalarAsync<long>(Differences));
        Assert.Equal(0, await Factory.ScalarAsync<long>(FromWindowFunction));
    }

    private async Task<string> CreatePartnerAsync(string slug, string nameJa, string kind)
    {
        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", await CreateKeyAsync("partners:write"),
            new { slug, name = new { ja = nameJa }, kind, country = "JP" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await GetJsonAsync($"/api/v1/partners/{slug}"))["id"]!.GetValue<string>();
    }
}
