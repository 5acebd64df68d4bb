using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Writes;

namespace LinkJ.Api.IntegrationTests.Imports;

/// <summary>
/// The set-based write of an import (ADR 0042): what it writes must be exactly what single writes would leave (the rows,
/// one change record per changed record with the same changed fields and event type, running numbers, tallies), and a
/// row the database refuses fails alone in per-row mode.
/// </summary>
public sealed class BulkImportTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private const string AgreementsImport = "/api/v1/agreements/import";
    private const string PartnersImport = "/api/v1/partners/import";
    private const string JsonLines = "application/x-ndjson";

    private const string KanagawaLine =
        """{"externalRef":{"source":"mou-sheet","id":"P-14"},"slug":"kanagawa-prefecture","name":{"ja":"神奈川県","en":"Kanagawa Prefecture"},"kind":"local-government","country":"JP"}""";

    private static string AgreementLine(string id, string signedOn, string titleJa, string partnerSlug = "kanagawa-prefecture", string? until = null, string status = "active") =>
        new JsonObject
        {
            ["externalRef"] = new JsonObject { ["source"] = "mou-sheet", ["id"] = id },
            ["partnerSlug"] = partnerSlug,
            ["type"] = "mou",
            ["title"] = new JsonObject { ["ja"] = titleJa, ["en"] = "MOU " + id },
            ["signedOn"] = signedOn,
            ["validity"] = until is null ? null : new JsonObject { ["from"] = signedOn, ["until"] = until },
            ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation"), ["isOpenEnded"] = false },
            ["status"] = status,
        }.ToJsonString();

    private Task<SentResponse> ImportAsync(string url, string key, string body, HttpStatusCode expected, string query = "") =>
        SendAsync(RawRequest(HttpMethod.Post, url + query, key, body, mediaType: JsonLines), expected);

    /// <summary>Agreements whose derived numbers (overall and within the partner's kind) differ from a window function's over the rows.</summary>
    private Task<long> MisnumberedAsync() => Factory.ScalarAsync<long>("""
        SELECT count(*) FROM agreements_with_ordinals a JOIN (
            SELECT a.id, row_number() OVER (ORDER BY a.signed_on, a.seq) AS overall,
                   row_number() OVER (PARTITION BY p.kind ORDER BY a.signed_on, a.seq) AS within_kind
            FROM agreements a JOIN partners p ON p.id = a.partner_id
            WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL) w ON w.id = a.id
        WHERE (a.ordinal_overall, a.ordinal_within_kind) IS DISTINCT FROM (w.overall, w.within_kind)
        """)!;

    [Fact]
    public async Task ImportAgreements_WhenTwoThousandBackdatedRowsInRandomOrder_ShouldNumberThemAsAWindowFunctionAndFeedOneChangePerRowInWriteOrder()
    {
        var key = await CreateKeyAsync("agreements:write", "partners:write");
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var random = new Random(42);
        var lines = Enumerable.Range(1, 2000).Select(i => AgreementLine(
            "C-" + i, new DateOnly(2016, 1, 1).AddDays(random.Next(0, 5 * 365)).ToString("yyyy-MM-dd"), "覚書 " + i,
            i % 3 == 0 ? OsakaPartnerSlug : "kanagawa-prefecture", status: i % 10 == 0 ? "draft" : "active"));
        var lastPosition = await Factory.ScalarAsync<long>("SELECT coalesce(max(position), 0) FROM changes");

        var imported = await ImportAsync(AgreementsImport, key, string.Join("\n", lines), HttpStatusCode.OK);

        Assert.Equal(2000, imported.Body!["created"]!.GetValue<int>());
        Assert.Equal(0L, await MisnumberedAsync());
        // One change record per imported agreement, each numbered, created, with its event type; none for anything else.
        Assert.Equal(2000L, await Factory.ScalarAsync<long>($"SELECT count(*) FROM changes WHERE position > {lastPosition}"));
        Assert.Equal(2000L, await Factory.ScalarAsync<long>($"""
            SELECT count(DISTINCT c.resource_id) FROM changes c JOIN agreements a ON a.id = c.resource_id AND a.external_source = 'mou-sheet'
            WHERE c.position > {lastPosition} AND c.operation = 'created' AND c.event_type = 'agreement.created' AND c.version = a.version
                  AND cardinality(c.changed_fields) = 0 AND c.resource_type = 'agreement'
            """));
        Assert.Equal(0L, await Factory.ScalarAsync<long>("SELECT count(*) FROM changes WHERE position IS NULL"));
        // The feed gives them in the order they were written: the agreements' insertion order (signing order).
        Assert.Equal(0L, await Factory.ScalarAsync<long>($"""
            SELECT count(*) FROM (
                SELECT row_number() OVER (ORDER BY c.position) AS by_feed, row_number() OVER (ORDER BY a.seq) AS by_write
                FROM changes c JOIN agreements a ON a.id = c.resource_id WHERE c.position > {lastPosition}) o
            WHERE by_feed <> by_write
            """));
        Assert.Equal(0L, await Factory.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT a.signed_on, lag(a.signed_on) OVER (ORDER BY a.seq) AS previous FROM agreements a WHERE a.external_source = 'mou-sheet') s
            WHERE s.signed_on < s.previous
            """));
        // The statistics equal a count of the rows.
        var stats = await GetJsonAsync("/api/v1/stats");
        Assert.Equal(
            await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements WHERE status <> 'draft' AND deleted_at IS NULL AND supersedes_id IS NULL"),
            stats["totals"]!["partnerships"]!.GetValue<long>());
    }

    [Fact]
    public async Task ImportAgreements_WhenAFileMixesCreatesUpdatesAndUnchangedRows_ShouldWriteTheChangeRecordsSingleWritesWould()
    {
        var key = await CreateKeyAsync("agreements:write", "partners:write");
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        await ImportAsync(AgreementsImport, key, string.Join("\n",
            AgreementLine("M-1", "2019-04-01", "第一の覚書"), AgreementLine("M-2", "2018-04-01", "第二の覚書"),
            AgreementLine("M-3", "2017-04-01", "第三の覚書"), AgreementLine("S-3", "2017-04-01", "第三の覚書")), HttpStatusCode.OK);
        var lastSeq = await Factory.ScalarAsync<long>("SELECT max(seq) FROM changes");
        // The same change as M-3's below, made by a single write (PUT by-ref with If-Match), to compare their change records.
        var s3Id = await Factory.ScalarAsync<Guid>("SELECT id FROM agreements WHERE external_id = 'S-3'");
        using (var read = await Client.GetAsync($"/api/v1/agreements/{s3Id}"))
        {
            var put = new JsonObject
            {
                ["partnerId"] = await PartnerIdAsync("kanagawa-prefecture"),
                ["type"] = "mou",
                ["title"] = new JsonObject { ["ja"] = "第三の覚書", ["en"] = "MOU S-3" },
                ["signedOn"] = "2017-04-01",
                ["validity"] = new JsonObject { ["from"] = "2017-04-01", ["until"] = "2020-03-31" },
                ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation"), ["isOpenEnded"] = false },
            };
            var single = await SendAsync(RawRequest(HttpMethod.Put, "/api/v1/agreements/by-ref/mou-sheet/S-3", key, put.ToJsonString(), ifMatch: read.Headers.ETag!.Tag), HttpStatusCode.OK);
            Assert.Equal("expired", single.Body!["status"]!.GetValue<string>());
        }

        var imported = await ImportAsync(AgreementsImport, key, string.Join("\n",
            AgreementLine("M-1", "2019-04-01", "第一の覚書（改訂）"),
            AgreementLine("M-2", "2018-04-01", "第二の覚書"),
            AgreementLine("M-3", "2017-04-01", "第三の覚書", until: "2020-03-31"),
            AgreementLine("M-4", "2016-04-01", "第四の覚書")), HttpStatusCode.OK);

        Assert.Equal((1, 2, 1, 0), (imported.Body!["created"]!.GetValue<int>(), imported.Body["updated"]!.GetValue<int>(), imported.Body["unchanged"]!.GetValue<int>(), imported.Body["failed"]!.GetValue<int>()));
        // The single write's change record, then one per created or updated row; none for the unchanged M-2.
        var records = await Factory.ScalarAsync<string>($"""
            SELECT string_agg(a.external_id || ' ' || c.operation || ' ' || c.version || ' ' || c.event_type || ' ' || array_to_string(c.changed_fields, '+'), '|' ORDER BY c.seq)
            FROM changes c JOIN agreements a ON a.id = c.resource_id WHERE c.seq > {lastSeq} AND c.position IS NOT NULL
            """);
        var byRecord = records!.Split('|').ToDictionary(r => r.Split(' ')[0], r => r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(["S-3", "M-1", "M-3", "M-4"], records.Split('|').Select(r => r.Split(' ')[0]));
        Assert.Equal("updated 2 agreement.updated title", byRecord["M-1"]);
        Assert.Equal("created 1 agreement.created ", byRecord["M-4"]);
        // M-3's update (a last day in the past: it expires) is recorded exactly as the same single write's.
        Assert.Equal(byRecord["S-3"], byRecord["M-3"]);
        Assert.Contains("status", byRecord["M-3"], StringComparison.Ordinal);
        Assert.Equal(0L, await MisnumberedAsync());
        Assert.Equal(0L, await Factory.ScalarAsync<long>("SELECT count(*) FROM changes WHERE position IS NULL"));
    }

    [Theory]
    [InlineData("agreements")]
    [InlineData("partners")]
    public async Task Import_WhenARecordHasEveryField_ShouldStoreTheRowAndChangeRecordASingleWriteStores(string resource)
    {
        var key = await CreateKeyAsync("agreements:write", "partners:write");
        var partnerId = await PartnerIdAsync();
        JsonObject Record(string id) => resource == "agreements"
            ? new JsonObject
            {
                ["partnerId"] = partnerId,
                ["type"] = "collaboration-agreement",
                ["title"] = new JsonObject { ["ja"] = "全項目の協定", ["en"] = "Agreement with every field" },
                ["signedOn"] = "2018-06",
                ["validity"] = new JsonObject { ["from"] = "2018-07-01", ["termMonths"] = 36 },
                ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation", "mutual-visits"), ["isOpenEnded"] = true, ["note"] = "連携の注記" },
                ["signatories"] = new JsonArray(new JsonObject
                {
                    ["name"] = new JsonObject { ["ja"] = "山田 太郎", ["en"] = "Taro Yamada" },
                    ["title"] = new JsonObject { ["ja"] = "理事長" },
                    ["organisation"] = new JsonObject { ["ja"] = "LINK-J", ["en"] = "LINK-J" },
                }),
                ["sourceNote"] = "From the 2018 report.",
                ["status"] = "active",
            }
            : new JsonObject
            {
                ["slug"] = "every-field-" + id.ToLowerInvariant(),
                ["name"] = new JsonObject { ["ja"] = "全項目機構", ["en"] = "Every Field Institute" },
                ["shortName"] = "EFI",
                ["kind"] = "research-institute",
                ["country"] = "FR",
                ["region"] = new JsonObject { ["ja"] = "イル＝ド＝フランス", ["en"] = "Île-de-France" },
                ["website"] = "https://example.org/efi",
                ["formerNames"] = new JsonArray(new JsonObject { ["name"] = new JsonObject { ["ja"] = "旧機構", ["en"] = "Old Institute" }, ["until"] = "2019-03" }),
            };
        await SendAsync(RawRequest(HttpMethod.Put, $"/api/v1/{resource}/by-ref/mou-sheet/S-1", key, Record("S-1").ToJsonString()), HttpStatusCode.Created);
        var line = Record("M-1");
        line["externalRef"] = new JsonObject { ["source"] = "mou-sheet", ["id"] = "M-1" };

        var imported = await ImportAsync($"/api/v1/{resource}/import", key, line.ToJsonString(), HttpStatusCode.OK);

        Assert.Equal(1, imported.Body!["created"]!.GetValue<int>());
        // Every column but those that name the record (and what the database derives from its slug) is the same.
        var table = resource == "agreements" ? "agreements" : "partners";
        var rows = await Factory.ScalarAsync<string>($"""
            SELECT string_agg((to_jsonb(r) - 'id' - 'seq' - 'external_id' - 'created_at' - 'updated_at' - 'slug' - 'search_text'
                               - 'ordinal_overall' - 'ordinal_within_kind')::text, '|' ORDER BY r.external_id DESC)
            FROM {table} r WHERE r.external_source = 'mou-sheet'
            """);
        var pair = rows!.Split('|');
        Assert.Equal(2, pair.Length);
        Assert.Equal(pair[0], pair[1]);
        Assert.Contains(resource == "agreements" ? "山田" : "旧機構", pair[1], StringComparison.Ordinal);
        var changes = await Factory.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws(' ', c.resource_type, c.operation, c.version, c.event_type, c.actor, cardinality(c.changed_fields), c.position IS NOT NULL), '|' ORDER BY r.external_id DESC)
            FROM changes c JOIN {table} r ON r.id = c.resource_id WHERE r.external_source = 'mou-sheet'
            """);
        var changePair = changes!.Split('|');
        Assert.Equal(2, changePair.Length);
        Assert.Equal(changePair[0], changePair[1]);
    }

    [Fact]
    public async Task ImportAgreements_WhenTheDatabaseRefusesOneRow_ShouldFailOnlyThatRowPerRowAndEverythingAtomically()
    {
        var key = await CreateKeyAsync("agreements:write", "partners:write");
        await ImportAsync(PartnersImport, key, KanagawaLine, HttpStatusCode.OK);
        var body = string.Join("\n", AgreementLine("R-1", "2020-01-10", "一"), AgreementLine("R-2", "2016-02-20", "二"), AgreementLine("R-3", "2018-03-30", "三"));
        // What a concurrent create of the same reference does to this import's insert: the unique index refuses it.
        await Factory.ScalarAsync<object>("""
            CREATE FUNCTION test_refuse_r2() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE unique_violation USING CONSTRAINT = 'ix_agreements_external_ref', MESSAGE = 'duplicate key (test)';
            END $$;
            CREATE TRIGGER test_refuse_r2 BEFORE INSERT ON agreements FOR EACH ROW WHEN (NEW.external_id = 'R-2') EXECUTE FUNCTION test_refuse_r2();
            """);
        try
        {
            var before = await SnapshotAsync();
            using (var atomic = await Client.SendAsync(RawRequest(HttpMethod.Post, AgreementsImport, key, body, mediaType: JsonLines)))
            {
                Assert.Equal(HttpStatusCode.Conflict, atomic.StatusCode);
                Assert.Equal("application/problem+json", atomic.Content.Headers.ContentType?.MediaType);
            }

            Assert.Equal(before, await SnapshotAsync());
            var lastPosition = await Factory.ScalarAsync<long>("SELECT max(position) FROM changes");

            var perRow = await ImportAsync(AgreementsImport, key, body, HttpStatusCode.OK, "?mode=per-row");

            Assert.Equal(2, perRow.Body!["created"]!.GetValue<int>());
            var failed = perRow.Body["results"]!.AsArray().Single(r => r!["outcome"]!.GetValue<string>() == "failed")!;
            Assert.Equal(2, failed["row"]!.GetValue<int>());
            Assert.Equal("R-1,R-3", await Factory.ScalarAsync<string>("SELECT string_agg(external_id, ',' ORDER BY external_id) FROM agreements WHERE external_source = 'mou-sheet'"));
            Assert.Equal(2L, await Factory.ScalarAsync<long>($"SELECT count(*) FROM changes WHERE position > {lastPosition}"));
            Assert.Equal(0L, await MisnumberedAsync());
            var stats = await GetJsonAsync("/api/v1/stats");
            Assert.Equal(15, stats["totals"]!["partnerships"]!.GetValue<int>());
        }
        finally
        {
            await Factory.ScalarAsync<object>("DROP TRIGGER test_refuse_r2 ON agreements; DROP FUNCTION test_refuse_r2();");
        }
    }
}
