using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Writes;

namespace LinkJ.Api.IntegrationTests.Imports;

/// <summary>POST …/import (ADR 0034): JSON lines and CSV, upsert by external reference, dry run, atomic and per-row.</summary>
public sealed class ImportTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private const string AgreementsImport = "/api/v1/agreements/import";
    private const string PartnersImport = "/api/v1/partners/import";
    private const string JsonLines = "application/x-ndjson";

    private const string KanagawaLine =
        """{"externalRef":{"source":"mou-sheet","id":"P-14"},"slug":"kanagawa-prefecture","name":{"ja":"神奈川県","en":"Kanagawa Prefecture"},"kind":"local-government","country":"JP"}""";

    private static string AgreementLine(string id, string signedOn, string titleJa, string partnerSlug = "kanagawa-prefecture") =>
        new JsonObject
        {
            ["externalRef"] = new JsonObject { ["source"] = "mou-sheet", ["id"] = id },
            ["partnerSlug"] = partnerSlug,
            ["type"] = "mou",
            ["title"] = new JsonObject { ["ja"] = titleJa, ["en"] = "MOU " + id },
            ["signedOn"] = signedOn,
            ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation"), ["isOpenEnded"] = false },
        }.ToJsonString();

    private Task<SentResponse> ImportAsync(string url, string key, string body, HttpStatusCode expected, string mediaType = JsonLines, string query = "") =>
        SendAsync(RawRequest(HttpMethod.Post, url + query, key, body, mediaType: mediaType), expected);

    private async Task<string> KeyAsync() => await CreateKeyAsync("agreements:write", "partners:write");

    /// <summary>The running numbers (derived, ADR 0033) as single writes leave them: every counted agreement numbered 1..n in (signed_on, seq) order.</summary>
    private Task<long> MisnumberedAsync() => Factory.ScalarAsync<long>("""
        SELECT count(*) FROM (
            SELECT ordinal_overall, row_number() OVER (ORDER BY signed_on, seq) AS expected FROM agreements_with_ordinals
            WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL) n
        WHERE ordinal_overall IS DISTINCT FROM expected
        """)!;

    [Fact]
    public async Task ImportAgreements_WhenJsonLinesOfBackdatedMous_ShouldCreateThemWithExactRunningNumbersStatsAndFeed()
    {
        var key = await KeyAsync();
        var feedBefore = (await FeedAsync()).Count;
        var partner = await ImportAsync(PartnersImport, key, KanagawaLine + "\n", HttpStatusCode.OK);
        Assert.Equal(1, partner.Body!["created"]!.GetValue<int>());

        var body = string.Join("\n", AgreementLine("A-14", "2020-09-18", "神奈川県との覚書"), AgreementLine("A-2", "2016-05-10", "古い覚書"), AgreementLine("A-9", "2019-01", "月だけ分かる覚書"));
        var imported = await ImportAsync(AgreementsImport, key, body, HttpStatusCode.OK);

        Assert.Equal(3, imported.Body!["created"]!.GetValue<int>());
        Assert.Equal(0, imported.Body["failed"]!.GetValue<int>());
        Assert.All(imported.Body["results"]!.AsArray(), r => Assert.Equal("created", r!["outcome"]!.GetValue<string>()));
        Assert.Equal(0L, await MisnumberedAsync());
        var ordinals = (await GetJsonAsync("/api/v1/agreements?partnerKind=local-government&lang=en"))["items"]!.AsArray()
            .ToDictionary(a => a!["title"]!["en"]!.GetValue<string>(), a => a!["ordinal"]!["overall"]!.GetValue<int>());
        Assert.Equal(16, ordinals["MOU A-14"]);
        Assert.Equal(15, ordinals.Single(o => o.Key.Contains("Osaka", StringComparison.Ordinal)).Value); // the 13th, after two imported MOUs before it
        var stats = await GetJsonAsync("/api/v1/stats");
        Assert.Equal(16, stats["totals"]!["partnerships"]!.GetValue<int>());
        var feed = await FeedAsync();
        Assert.Equal(feedBefore + 4, feed.Count);
        Assert.Equal(["created", "created", "created", "created"], feed.Skip(feedBefore).Select(c => c!["operation"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ImportAgreements_WhenRunAgain_ShouldCreateNothingAndAnswerUnchanged()
    {
        var key = await KeyAsync();
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var body = AgreementLine("A-14", "2020-09-18", "神奈川県との覚書") + "\n" + AgreementLine("A-15", "2021-02-01", "第二の覚書") + "\n";
        await ImportAsync(AgreementsImport, key, body, HttpStatusCode.OK);
        var before = await SnapshotAsync();

        var again = await ImportAsync(AgreementsImport, key, body, HttpStatusCode.OK);

        Assert.Equal(0, again.Body!["created"]!.GetValue<int>());
        Assert.Equal(2, again.Body["unchanged"]!.GetValue<int>());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(2L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE external_source = 'mou-sheet'"));
    }

    [Fact]
    public async Task ImportAgreements_WhenDryRun_ShouldReportTheOutcomesAndWriteNothing()
    {
        var key = await KeyAsync();
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var before = await SnapshotAsync();

        var checkedOnly = await ImportAsync(AgreementsImport, key, AgreementLine("A-14", "2020-09-18", "神奈川県との覚書"), HttpStatusCode.OK, query: "?dryRun=true");

        Assert.True(checkedOnly.Body!["dryRun"]!.GetValue<bool>());
        Assert.Equal(1, checkedOnly.Body["created"]!.GetValue<int>());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ImportAgreements_WhenAtomicAndOneRowIsBad_ShouldAnswer422WithTheRowAndWriteNothing()
    {
        var key = await KeyAsync();
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var before = await SnapshotAsync();
        var body = string.Join("\n", AgreementLine("A-1", "2020-09-18", "良い行"), AgreementLine("A-2", "2020-13-01", "悪い日付"), AgreementLine("A-3", "2020-01-01", "不明な相手", "no-such-partner"));

        using var response = await Client.SendAsync(RawRequest(HttpMethod.Post, AgreementsImport, key, body, mediaType: JsonLines));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("import.rows-invalid", problem["code"]!.GetValue<string>());
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("rows[2].signedOn"), problem.ToJsonString());
        Assert.True(errors.ContainsKey("rows[3].partnerSlug"), problem.ToJsonString());
        Assert.Equal(2, errors.Count);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ImportAgreements_WhenPerRowAndOneRowIsBad_ShouldWriteTheGoodOnesAndListTheBadOne()
    {
        var key = await KeyAsync();
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var body = string.Join("\n", AgreementLine("A-1", "2020-09-18", "良い行"), "{not json", AgreementLine("A-3", "2017-03-01", "もう一つ良い行"));

        var imported = await ImportAsync(AgreementsImport, key, body, HttpStatusCode.OK, query: "?mode=per-row");

        Assert.Equal(2, imported.Body!["created"]!.GetValue<int>());
        Assert.Equal(1, imported.Body["failed"]!.GetValue<int>());
        var failed = imported.Body["results"]!.AsArray().Single(r => r!["outcome"]!.GetValue<string>() == "failed")!;
        Assert.Equal(2, failed["row"]!.GetValue<int>());
        Assert.Equal(2L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE external_source = 'mou-sheet'"));
        Assert.Equal(0L, await MisnumberedAsync());
    }

    [Fact]
    public async Task ImportAgreements_WhenTheExportCsvComesBack_ShouldChangeNothingAndAnEditedCellUpdatesOnlyThatField()
    {
        var key = await KeyAsync();
        var csv = await (await Client.GetAsync("/api/v1/agreements/export.csv")).Content.ReadAsStringAsync();
        var before = await SnapshotAsync();

        var back = await ImportAsync(AgreementsImport, key, csv, HttpStatusCode.OK, mediaType: "text/csv");

        Assert.Equal(13, back.Body!["unchanged"]!.GetValue<int>());
        Assert.Equal(before, await SnapshotAsync());

        var edited = csv.Replace("大阪府", "大阪府庁", StringComparison.Ordinal);
        var changed = await ImportAsync(AgreementsImport, key, edited, HttpStatusCode.OK, mediaType: "text/csv");
        Assert.Equal(0, changed.Body!["failed"]!.GetValue<int>());
        Assert.Equal(0, changed.Body["created"]!.GetValue<int>());
        Assert.True(changed.Body["updated"]!.GetValue<int>() >= 1, changed.Body.ToJsonString());
        var osaka = await Factory.ScalarAsync<Guid>("SELECT a.id FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE p.slug = 'osaka-prefecture' LIMIT 1");
        var history = await HistoryAsync($"/api/v1/agreements/{osaka}");
        Assert.Equal(["title"], history[^1]!["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task ImportPartners_WhenCsvWithExternalIds_ShouldCreateThenAnswerUnchangedOnARerun()
    {
        var key = await KeyAsync();
        var csv = "\uFEFFexternal_source,external_id,slug,name_ja,name_en,kind,country\r\n" +
                  "mou-sheet,P-14,kanagawa-prefecture,神奈川県,Kanagawa Prefecture,local-government,JP\r\n" +
                  "mou-sheet,P-16,medicen-paris-region,\"メディセン・パリ・リージョン\",\"Medicen Paris Region\",industry-association,FR\r\n";

        var first = await ImportAsync(PartnersImport, key, csv, HttpStatusCode.OK, mediaType: "text/csv");
        var before = await SnapshotAsync();
        var second = await ImportAsync(PartnersImport, key, csv, HttpStatusCode.OK, mediaType: "text/csv");

        Assert.Equal(2, first.Body!["created"]!.GetValue<int>());
        Assert.Equal(2, second.Body!["unchanged"]!.GetValue<int>());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal("Medicen Paris Region", (await GetJsonAsync("/api/v1/partners/medicen-paris-region"))["name"]!["en"]!.GetValue<string>());
    }

    /// <summary>Agreements whose copy of their partner's search text (ADR 0051) differs from the partner's.</summary>
    private Task<long> StalePartnerTextAsync() => Factory.ScalarAsync<long>(
        "SELECT count(*) FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.partner_search_text IS DISTINCT FROM p.search_text")!;

    [Fact]
    public async Task ImportPartners_WhenARowRenamesAPartnerWithAgreements_ShouldKeepEveryAgreementsCopyOfItsSearchText()
    {
        var key = await KeyAsync();
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var agreements = string.Join("\n", Enumerable.Range(1, 5).Select(i => AgreementLine($"A-{i}", $"2019-0{i}-1{i}", $"協定書 第{i}号")));
        await ImportAsync(AgreementsImport, key, agreements, HttpStatusCode.OK);
        Assert.Equal(0L, await StalePartnerTextAsync());
        Assert.Equal(5L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE partner_search_text LIKE '%kanagawa%'"));

        var renamed = KanagawaLine.Replace("Kanagawa Prefecture", "Sagami Prefecture Office", StringComparison.Ordinal);
        var second = await ImportAsync(PartnersImport, key, renamed, HttpStatusCode.OK);

        Assert.Equal(1, second.Body!["updated"]!.GetValue<int>());
        Assert.Equal(0L, await StalePartnerTextAsync());
        Assert.Equal(0L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE partner_search_text LIKE '%kanagawa prefecture%'"));
        Assert.Equal(5, (await GetJsonAsync("/api/v1/agreements?q=Sagami%20Prefecture%20Office&limit=100"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ImportAgreements_WhenSentWithTheSameIdempotencyKeyTwice_ShouldReplayAndCreateOnce()
    {
        var key = await KeyAsync();
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        HttpRequestMessage Send(string line)
        {
            var request = RawRequest(HttpMethod.Post, AgreementsImport, key, line, mediaType: JsonLines);
            request.Headers.Add("Idempotency-Key", "import-1");
            return request;
        }

        await SendAsync(Send(AgreementLine("A-14", "2020-09-18", "神奈川県との覚書")), HttpStatusCode.OK);
        using var replay = await Client.SendAsync(Send(AgreementLine("A-14", "2020-09-18", "神奈川県との覚書")));
        using var other = await Client.SendAsync(Send(AgreementLine("A-15", "2020-09-18", "別の覚書")));

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal(1L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE external_source = 'mou-sheet'"));
    }

    [Fact]
    public async Task Import_WhenTheKeyLacksTheScopeOrIsMissing_ShouldAnswer401Or403AndWriteNothing()
    {
        var partnersOnly = await CreateKeyAsync("partners:write");
        var before = await SnapshotAsync();

        using var anonymous = await Client.SendAsync(RawRequest(HttpMethod.Post, PartnersImport, null, KanagawaLine, mediaType: JsonLines));
        using var forbidden = await Client.SendAsync(RawRequest(HttpMethod.Post, AgreementsImport, partnersOnly, AgreementLine("A-1", "2020-09-18", "x"), mediaType: JsonLines));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("?source=")]
    [InlineData("?source=Not%20a%20slug")]
    [InlineData("?source=crm&source=erp")]
    public async Task ImportPartners_WhenSourceIsNotASlugEvenWhereNoRowFallsBackToIt_ShouldAnswer400AndWriteNothing(string query)
    {
        var key = await KeyAsync();
        var before = await SnapshotAsync();

        var refused = await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.BadRequest, query: query);

        Assert.NotNull(refused.Body!["errors"]!["source"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Import_WhenTheBodyIsJsonOrTooLarge_ShouldAnswer415Or413()
    {
        var key = await KeyAsync();

        using var json = await Client.SendAsync(RawRequest(HttpMethod.Post, PartnersImport, key, "[" + KanagawaLine + "]"));
        var huge = new StringBuilder(21 * 1024 * 1024);
        while (huge.Length < 21 * 1024 * 1024)
        {
            huge.Append(KanagawaLine).Append('\n');
        }

        using var tooLarge = await Client.SendAsync(RawRequest(HttpMethod.Post, PartnersImport, key, huge.ToString(), mediaType: JsonLines));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task ImportAgreements_WhenTwelveHundredBackdatedRows_ShouldNumberAndCountThemAsSingleWritesWould()
    {
        var key = await KeyAsync();
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var random = new Random(17);
        var lines = Enumerable.Range(1, 1200).Select(i =>
            AgreementLine("B-" + i, new DateOnly(2016, 1, 1).AddDays(random.Next(0, 5 * 365)).ToString("yyyy-MM-dd"), "覚書 " + i));
        var changesBefore = await Factory.ScalarAsync<long>("SELECT count(*) FROM changes");

        var imported = await ImportAsync(AgreementsImport, key, string.Join("\n", lines), HttpStatusCode.OK);

        Assert.Equal(1200, imported.Body!["created"]!.GetValue<int>());
        Assert.True(imported.Body["resultsTruncated"]!.GetValue<bool>());
        Assert.Equal(0L, await MisnumberedAsync());
        Assert.Equal(changesBefore + 1200, await Factory.ScalarAsync<long>("SELECT count(*) FROM changes"));
        Assert.Equal(0L, await Factory.ScalarAsync<long>("SELECT count(*) FROM changes WHERE position IS NULL"));
        var stats = await GetJsonAsync("/api/v1/stats");
        Assert.Equal(1213, stats["totals"]!["partnerships"]!.GetValue<int>());
        Assert.Equal(await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE signed_on >= '2018-01-01' AND signed_on < '2019-01-01' AND status <> 'draft' AND deleted_at IS NULL AND supersedes_id IS NULL"),
            stats["byYear"]!.AsArray().Single(y => y!["year"]!.GetValue<int>() == 2018)!["partnerships"]!.GetValue<long>());
    }
}
