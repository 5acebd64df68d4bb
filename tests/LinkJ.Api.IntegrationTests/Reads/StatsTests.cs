using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>
/// GET /api/v1/stats: the numbers a partner website shows, reproducible from the 2020-09-07 release (13 partnerships,
/// Osaka Prefecture the 13th and the 3rd with a local government), and up to date right after a write.
/// </summary>
public sealed class StatsTests(ApiFactory factory) : WriteTest(factory)
{
    private const string Url = "/api/v1/stats";

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldCount13PartnershipsWith13Partners7OverseasAnd6Domestic()
    {
        var totals = (await GetJsonAsync(Url))["totals"]!;

        Assert.Equal(13, totals["partners"]!.GetValue<int>());
        Assert.Equal(13, totals["partnerships"]!.GetValue<int>());
        Assert.Equal(13, totals["agreements"]!.GetValue<int>());
        Assert.Equal(7, totals["overseasPartners"]!.GetValue<int>());
        Assert.Equal(6, totals["domesticPartners"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldCountUclaAsExpiredAndTheOther12AsActive()
    {
        var byStatus = (await GetJsonAsync(Url))["totals"]!["byStatus"]!;

        Assert.Equal(0, byStatus["draft"]!.GetValue<int>());
        Assert.Equal(12, byStatus["active"]!.GetValue<int>());
        Assert.Equal(1, byStatus["expired"]!.GetValue<int>());
        Assert.Equal(0, byStatus["terminated"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldCountByCountryMostPartnershipsFirstThenByCode()
    {
        var byCountry = (await GetJsonAsync(Url))["byCountry"]!.AsArray();

        Assert.Equal(
            ["JP 6/6", "GB 3/3", "US 3/3", "FR 1/1"],
            byCountry.Select(c => $"{c!["country"]} {c["partners"]}/{c["partnerships"]}"));
    }

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldCountThreePartnershipsWithLocalGovernments()
    {
        var byKind = (await GetJsonAsync(Url))["byPartnerKind"]!.AsArray();

        var local = Assert.Single(byKind, k => k!["kind"]!.GetValue<string>() == "local-government")!;
        Assert.Equal(3, local["partnerships"]!.GetValue<int>());
        Assert.Equal(3, local["partners"]!.GetValue<int>());
        Assert.Equal("自治体", local["label"]!.GetValue<string>());
        Assert.Equal(
            ["industry-association 4", "local-government 3", "university 2", "company 2", "research-institute 1", "foundation 1"],
            byKind.Select(k => $"{k!["kind"]} {k["partnerships"]}"));
        Assert.Equal(13, byKind.Sum(k => k!["partners"]!.GetValue<int>()));
    }

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldCountPartnershipsPerYearWithARunningTotalReaching13In2020()
    {
        var byYear = (await GetJsonAsync(Url))["byYear"]!.AsArray();

        Assert.Equal(
            ["2016: 2 → 2", "2017: 3 → 5", "2018: 4 → 9", "2019: 2 → 11", "2020: 2 → 13"],
            byYear.Select(y => $"{y!["year"]}: {y["partnerships"]} → {y["cumulative"]}"));
    }

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldGiveOsakaAsTheLatestPartnership13thOverallAnd3rdWithALocalGovernment()
    {
        var stats = await GetJsonAsync(Url);

        var latest = stats["latest"]!;
        Assert.Equal(Seeded.Osaka, latest["partner"]!["slug"]!.GetValue<string>());
        Assert.Equal("大阪府", latest["partner"]!["displayName"]!.GetValue<string>());
        Assert.Equal("local-government", latest["partner"]!["kind"]!.GetValue<string>());
        Assert.Equal("JP", latest["partner"]!["country"]!.GetValue<string>());
        Assert.Equal("2020-09-07", latest["signedOn"]!.GetValue<string>());
        Assert.Equal(13, latest["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(3, latest["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
        var osakaAgreement = (await GetJsonAsync($"/api/v1/partners/{Seeded.Osaka}/agreements"))["items"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(osakaAgreement, latest["agreementId"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldGiveUcsdAsTheFirstPartnership()
    {
        var first = (await GetJsonAsync(Url))["first"]!;

        Assert.Equal(Seeded.Ucsd, first["partner"]!["slug"]!.GetValue<string>());
        Assert.Equal("2016-05", first["signedOn"]!.GetValue<string>());
        Assert.Equal(1, first["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(1, first["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
    }

    [Fact]
    public async Task GetStats_WhenSeeded_ShouldCountScopesMostUsedFirstWithPublicationExchangeIn10()
    {
        var byScope = (await GetJsonAsync(Url))["byScope"]!.AsArray();

        var top = byScope[0]!;
        Assert.Equal("publication-exchange", top["code"]!.GetValue<string>());
        Assert.Equal(10, top["agreements"]!.GetValue<int>());
        Assert.Equal("刊行物、資料、情報の交換", top["label"]!["ja"]!.GetValue<string>());
        Assert.Equal("Exchange of publications, materials and information", top["label"]!["en"]!.GetValue<string>());
        // Ties keep the vocabulary's order (mutual-facility-use, the 8th item, before short-term-programs, the 9th).
        Assert.Equal(
            [
                "publication-exchange 10", "event-cooperation 7", "mutual-programs-events 6", "mutual-visits 5", "member-services 4",
                "publication-exchange-dissemination 3", "nihonbashi-symposium 2", "mutual-facility-use 1", "short-term-programs 1",
                "bio-cluster-collaboration 1", "health-medical-cluster-collaboration 1",
            ],
            byScope.Select(s => $"{s!["code"]} {s["agreements"]}"));
    }

    [Fact]
    public async Task GetStats_WhenEnglishRequested_ShouldLabelKindsAndNamePartnersInEnglish()
    {
        using var response = await Client.GetAsync(Url + "?lang=en");
        var stats = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
        Assert.Equal("en", stats["language"]!.GetValue<string>());
        var kinds = stats["byPartnerKind"]!.AsArray().ToDictionary(k => k!["kind"]!.GetValue<string>(), k => k!["label"]!.GetValue<string>());
        Assert.Equal("Local government", kinds["local-government"]);
        Assert.Equal("Industry association / cluster", kinds["industry-association"]);
        Assert.Equal("Osaka Prefecture", stats["latest"]!["partner"]!["displayName"]!.GetValue<string>());
        Assert.Equal("University of California San Diego", stats["first"]!["partner"]!["displayName"]!.GetValue<string>());
        Assert.Equal("大阪府", stats["latest"]!["partner"]!["name"]!["ja"]!.GetValue<string>()); // the bilingual field stays whole
    }

    [Fact]
    public async Task GetStats_WhenNoLanguageRequested_ShouldAnswerInJapanese()
    {
        var stats = await GetJsonAsync(Url);

        Assert.Equal("ja", stats["language"]!.GetValue<string>());
        Assert.Equal("カリフォルニア大学サンディエゴ校", stats["first"]!["partner"]!["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetStats_WhenLangUnsupported_ShouldReturn400()
    {
        await GetProblemAsync(Url + "?lang=fr", HttpStatusCode.BadRequest, "language.unsupported");
    }

    /// <summary>GET bodies are cached by the database's change position: a write must show in the very next read.</summary>
    [Fact]
    public async Task GetStats_WhenAnAgreementWasCreatedAfterARead_ShouldCountItAsThe14thPartnershipAtOnce()
    {
        using var before = await Client.GetAsync(Url);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var key = await CreateKeyAsync("agreements:write");
        var (id, _) = await CreateAgreementAsync(key);

        using var response = await Client.GetAsync(Url);
        var stats = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.NotEqual(before.Headers.ETag, response.Headers.ETag);
        Assert.Equal(14, stats["totals"]!["partnerships"]!.GetValue<int>());
        Assert.Equal(14, stats["totals"]!["agreements"]!.GetValue<int>());
        Assert.Equal(13, stats["totals"]!["partners"]!.GetValue<int>());
        Assert.Equal(13, stats["totals"]!["byStatus"]!["active"]!.GetValue<int>());
        var latest = stats["latest"]!;
        Assert.Equal(id, latest["agreementId"]!.GetValue<string>());
        Assert.Equal("2025-09-07", latest["signedOn"]!.GetValue<string>());
        Assert.Equal(14, latest["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(4, latest["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
        Assert.Equal(7, stats["byCountry"]![0]!["partnerships"]!.GetValue<int>()); // JP
        Assert.Equal(
            ["2020: 2 → 13", "2021: 0 → 13", "2022: 0 → 13", "2023: 0 → 13", "2024: 0 → 13", "2025: 1 → 14"],
            stats["byYear"]!.AsArray().Skip(4).Select(y => $"{y!["year"]}: {y["partnerships"]} → {y["cumulative"]}"));
    }

    [Fact]
    public async Task GetStats_WhenADraftWasCreated_ShouldCountItAsADraftAgreementButNotAsAPartnership()
    {
        var key = await CreateKeyAsync("agreements:write");
        var draft = new
        {
            partnerId = await PartnerIdAsync(),
            type = "mou",
            title = new { ja = "大阪府との覚書（案）", en = "Draft MOU with Osaka Prefecture" },
            signedOn = "2025-09-07",
            cooperation = new { scopes = new[] { "mutual-facility-use" }, isOpenEnded = false },
            status = "draft",
        };
        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, draft));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var stats = await GetJsonAsync(Url);

        Assert.Equal(13, stats["totals"]!["partnerships"]!.GetValue<int>());
        Assert.Equal(14, stats["totals"]!["agreements"]!.GetValue<int>());
        Assert.Equal(1, stats["totals"]!["byStatus"]!["draft"]!.GetValue<int>());
        Assert.Equal(Seeded.Osaka, stats["latest"]!["partner"]!["slug"]!.GetValue<string>());
        Assert.Equal(13, stats["byYear"]!.AsArray()[^1]!["cumulative"]!.GetValue<int>());
        Assert.Equal(1, stats["byScope"]!.AsArray().Single(s => s!["code"]!.GetValue<string>() == "mutual-facility-use")!["agreements"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetStats_WhenAnAgreementWasRenewed_ShouldCountTheRenewalAsAnAgreementButNotAsAPartnership()
    {
        var key = await CreateKeyAsync("agreements:write");
        var id = (await GetJsonAsync($"/api/v1/partners/{Seeded.Osaka}/agreements"))["items"]![0]!["id"]!.GetValue<string>();
        using var renewed = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/agreements/{id}/renew", key, new { signedOn = "2025-09-07" }, ifMatch: "\"v1\""));
        Assert.Equal(HttpStatusCode.Created, renewed.StatusCode);

        var stats = await GetJsonAsync(Url);

        Assert.Equal(13, stats["totals"]!["partnerships"]!.GetValue<int>());
        Assert.Equal(14, stats["totals"]!["agreements"]!.GetValue<int>());
        Assert.Equal(1, stats["totals"]!["byStatus"]!["terminated"]!.GetValue<int>());
        Assert.Equal(12, stats["totals"]!["byStatus"]!["active"]!.GetValue<int>());
        Assert.Equal(id, stats["latest"]!["agreementId"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetStats_WhenAnAgreementWasDeleted_ShouldNoLongerCountIt()
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, etag) = await CreateAgreementAsync(key);
        using var deleted = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/agreements/{id}", key, ifMatch: etag));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var stats = await GetJsonAsync(Url);

        Assert.Equal(13, stats["totals"]!["partnerships"]!.GetValue<int>());
        Assert.Equal(13, stats["totals"]!["agreements"]!.GetValue<int>());
        Assert.Equal(Seeded.Osaka, stats["latest"]!["partner"]!["slug"]!.GetValue<string>());
        Assert.Equal(2020, stats["byYear"]!.AsArray()[^1]!["year"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetStats_WhenAgreementsAndPartnersChangeInEveryWayThatMovesACount_ShouldMatchAFreshCount()
    {
        var key = await CreateKeyAsync("admin");
        var osaka = await PartnerIdAsync();
        var (active, activeETag) = await CreateAgreementAsync(key);
        var draft = new
        {
            partnerId = osaka, type = "mou", title = new { ja = "大阪府との覚書（案）" }, signedOn = "2019-04",
            cooperation = new { scopes = new[] { "mutual-visits" }, isOpenEnded = false }, status = "draft",
        };
        using var draftCreated = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, draft));
        Assert.Equal(HttpStatusCode.Created, draftCreated.StatusCode);
        var draftId = JsonNode.Parse(await draftCreated.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        await SendOkAsync(HttpMethod.Patch, $"/api/v1/agreements/{active}", new { signedOn = "2018-02-03", cooperation = new { scopes = new[] { "event-cooperation", "mutual-visits" } } }, activeETag);
        await SendOkAsync(HttpMethod.Post, $"/api/v1/agreements/{draftId}/activate", null, "\"v1\"");
        await SendOkAsync(HttpMethod.Post, $"/api/v1/agreements/{draftId}/terminate", new { on = "2026-01-31", reason = "test" }, "\"v2\"");
        var (deleted, deletedETag) = await CreateAgreementAsync(key, "削除される覚書");
        using (var delete = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/agreements/{deleted}", key, ifMatch: deletedETag)))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using (var newPartner = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key, new { slug = "tally-test", name = new { ja = "集計テスト財団" }, kind = "foundation", country = "DE" })))
        {
            Assert.Equal(HttpStatusCode.Created, newPartner.StatusCode);
            using var deletePartner = await Client.SendAsync(Request(HttpMethod.Delete, "/api/v1/partners/tally-test", key, ifMatch: "\"v1\""));
            Assert.Equal(HttpStatusCode.NoContent, deletePartner.StatusCode);
        }

        var partner = await GetJsonAsync($"/api/v1/partners/{Seeded.Osaka}");
        await SendOkAsync(HttpMethod.Patch, $"/api/v1/partners/{Seeded.Osaka}", new { kind = "foundation", country = "FR" }, $"\"v{partner["version"]}\"");

        Assert.Equal(await FreshCountAsync(), await TalliesAsync());
        Assert.Contains("FR/foundation/2018=1", await TalliesAsync(), StringComparison.Ordinal);

        async Task SendOkAsync(HttpMethod method, string url, object? body, string ifMatch)
        {
            using var request = Request(method, url, key, body, ifMatch);
            if (method == HttpMethod.Patch)
            {
                request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json");
            }

            using var response = await Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private Task<string?> TalliesAsync() => Factory.ScalarAsync<string>(
        "SELECT concat_ws(' | ', " +
        "(SELECT string_agg(format('%s/%s=%s', country, kind, count), ',' ORDER BY country, kind) FROM partner_tallies WHERE count <> 0), " +
        "(SELECT string_agg(format('%s/%s/%s=%s', country, kind, year, count), ',' ORDER BY country, kind, year) FROM partnership_tallies WHERE count <> 0), " +
        "(SELECT string_agg(format('%s=%s', status, count), ',' ORDER BY status) FROM agreement_status_tallies WHERE count <> 0), " +
        "(SELECT string_agg(format('%s=%s', code, count), ',' ORDER BY code) FROM scope_tallies WHERE count <> 0))");

    private Task<string?> FreshCountAsync() => Factory.ScalarAsync<string>(
        "WITH counted AS (SELECT a.*, p.country, p.kind FROM agreements a JOIN partners p ON p.id = a.partner_id " +
        "                 WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL) " +
        "SELECT concat_ws(' | ', " +
        "(SELECT string_agg(format('%s/%s=%s', country, kind, n), ',' ORDER BY country, kind) " +
        "   FROM (SELECT country, kind, count(*) AS n FROM partners WHERE deleted_at IS NULL GROUP BY 1, 2) t), " +
        "(SELECT string_agg(format('%s/%s/%s=%s', country, kind, year, n), ',' ORDER BY country, kind, year) " +
        "   FROM (SELECT country, kind, extract(year FROM signed_on)::int AS year, count(*) AS n FROM counted GROUP BY 1, 2, 3) t), " +
        "(SELECT string_agg(format('%s=%s', status, n), ',' ORDER BY status) FROM (SELECT status, count(*) AS n FROM agreements WHERE deleted_at IS NULL GROUP BY 1) t), " +
        "(SELECT string_agg(format('%s=%s', code, n), ',' ORDER BY code) FROM (SELECT code, count(*) AS n FROM counted, unnest(scopes) AS code GROUP BY 1) t))");

    [Fact]
    public async Task GetStats_WhenAPartnerHasNoAgreementYet_ShouldCountThePartnerWithZeroPartnerships()
    {
        var key = await CreateKeyAsync("partners:write");
        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key,
            new { slug = "bavarian-biotech-cluster", name = new { ja = "バイエルン・バイオテック・クラスター", en = "Bavarian Biotech Cluster" }, kind = "industry-association", country = "DE" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var stats = await GetJsonAsync(Url);

        Assert.Equal(14, stats["totals"]!["partners"]!.GetValue<int>());
        Assert.Equal(8, stats["totals"]!["overseasPartners"]!.GetValue<int>());
        Assert.Equal(13, stats["totals"]!["partnerships"]!.GetValue<int>());
        var germany = stats["byCountry"]!.AsArray()[^1]!;
        Assert.Equal("DE", germany["country"]!.GetValue<string>());
        Assert.Equal(1, germany["partners"]!.GetValue<int>());
        Assert.Equal(0, germany["partnerships"]!.GetValue<int>());
        var clusters = stats["byPartnerKind"]!.AsArray().Single(k => k!["kind"]!.GetValue<string>() == "industry-association")!;
        Assert.Equal(5, clusters["partners"]!.GetValue<int>());
        Assert.Equal(4, clusters["partnerships"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetStats_WhenIfNoneMatchIsTheCurrentETag_ShouldReturn304WithoutABody()
    {
        using var first = await Client.GetAsync(Url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
    }

    /// <summary>The OpenAPI example is counted from the seed data in memory; the endpoint counts the seeded database. They must agree.</summary>
    [Fact]
    public async Task GetStats_WhenSeeded_ShouldEqualTheOpenApiExample()
    {
        var document = OpenApiRefs.Inline(await GetJsonAsync("/swagger/v1/swagger.json"));
        var example = document["paths"]!["/api/v1/stats"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;

        var stats = await GetJsonAsync(Url + "?lang=en");

        Assert.True(JsonNode.DeepEquals(example, stats), $"example: {example.ToJsonString()}\nresponse: {stats.ToJsonString()}");
    }
}
