using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;
using Npgsql;
using Xunit.Abstractions;

namespace LinkJ.Api.IntegrationTests.Fuzz;

/// <summary>
/// Reads the service's own OpenAPI document and sends every operation thousands of generated bad requests
/// (<see cref="FuzzCases"/>), each with the class of answer it must get (<see cref="FuzzExpect"/>, decided by
/// <see cref="FuzzOracle"/> from the schema, never from the service): 401 without a usable key, 403 with a key of another
/// scope, 400 for invalid input, 404 for an id that names nothing, 412 for a stale If-Match, 428 without one, 413/415 for
/// the body's size and media type — and, where the input is in fact valid, the same answer as the operation's valid
/// request. Each case must get exactly its class: a dropped auth check, If-Match check or limit fails here instead of
/// becoming the new normal. Every answer must also be one the document declares, a problem (application/problem+json)
/// when it is an error, never a 5xx, never a word of the inside (exception, SQL, type names); a refused request must
/// leave every table as it was.
/// </summary>
/// <remarks>
/// Every case runs on the seeded data: a write that is accepted (a valid case) is followed by a reset, so no case's
/// answer depends on what the cases before it did.
/// </remarks>
public sealed class OpenApiFuzzTests(ApiFactory factory, ITestOutputHelper output) : WriteTest(factory)
{
    /// <summary>Words that would show the inside of the service: exceptions, stack frames, SQL, .NET and library type names.</summary>
    public static readonly string[] Revealing = ["Exception", "Npgsql", "at LinkJ.", "LinkJ.Application", "LinkJ.Domain", "System.", "Microsoft.", "SELECT ", "INSERT ", "   at "];

    [Fact]
    public async Task EveryOperation_WhenSentGeneratedBadRequests_ShouldAnswerEachWithItsExpectedClassAndChangeNothing()
    {
        var clock = Stopwatch.StartNew();
        var document = OpenApiRefs.Inline(JsonNode.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"))!);
        FuzzCases.Document = document;
        // The webhook operations aim at a subscription, not at the seeded records: WebhookSubscriptionTests sends them
        // unknown parameters and members.
        var operations = FuzzOperation.AllIn(document).Where(o => !o.Path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal)).ToList();
        await using var database = new NpgsqlConnection(Factory.ConnectionString);
        await database.OpenAsync();
        await using var snapshotCommand = new NpgsqlCommand(await DatabaseSnapshot.SqlAsync(database), database);
        async Task<string> SnapshotAsync() => (string)(await snapshotCommand.ExecuteScalarAsync())!;

        await Factory.ResetDatabaseAsync();
        var keys = await CreateKeysAsync();
        await using var seed = await SeedCopy.TakeAsync(database);
        var seeded = await TargetAsync() ?? throw new InvalidOperationException("The seeded Osaka records are missing.");
        var target = seeded;
        var baseline = await SnapshotAsync();
        var writesSeen = await ApiFactory.WritesAsync(database);
        var findings = new ConcurrentQueue<string>();
        var acceptedWrongly = new ConcurrentQueue<string>();
        var deviations = new ConcurrentQueue<string>();
        var perClass = new ConcurrentDictionary<FuzzExpect, int>();
        var requests = 0;
        var accepted = 0;
        var resets = 0;
        var sending = new Stopwatch();
        var snapshotting = new Stopwatch();
        var restoring = new Stopwatch();

        // The answer a case got, against the class it must get; the valid answer is the control's (the operation's valid request).
        void Judge(FuzzCase fuzz, int status, int control, string label)
        {
            perClass.AddOrUpdate(fuzz.Expect, 1, (_, n) => n + 1);
            // If-None-Match is weighed only where the fuzz can read the resource: the calendar's control is a 401 (the fuzz
            // holds no feed token), and so is its conditional request.
            var expected = fuzz.Expect is FuzzExpect.Valid || fuzz.Expect is FuzzExpect.Either && status != 400 || fuzz.Expect is FuzzExpect.NotModified && control == 401 ? control
                : fuzz.Expect is FuzzExpect.Either ? 400
                : (int)fuzz.Expect;
            if (KnownDeviationOf(fuzz) is { } why)
            {
                if (status == expected)
                {
                    findings.Enqueue($"{label}: no longer deviates ({why}): take it off KnownDeviations");
                }
                else
                {
                    deviations.Enqueue($"{label}, expected {expected}: {why}");
                }
            }
            else if (fuzz.Expect is not (FuzzExpect.Valid or FuzzExpect.Either or FuzzExpect.NotModified) && status is >= 200 and < 400)
            {
                acceptedWrongly.Enqueue($"{label}: accepted, but must be refused with {expected}");
            }
            else if (status != expected)
            {
                findings.Enqueue($"{label}: expected {expected} ({fuzz.Expect})");
            }
        }

        foreach (var operation in operations)
        {
            var cases = FuzzCases.For(operation, target).ToList();
            requests += cases.Count;
            var controlCase = cases.Single(c => c.What == FuzzCases.ControlWhat);
            if (operation.Method == "GET")
            {
                int readControl;
                using (var request = Build(controlCase, keys, target))
                using (var response = await Client.SendAsync(request))
                {
                    readControl = (int)response.StatusCode;
                }

                // Reads change nothing (checked after the batch), so they can go four at a time.
                await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (fuzz, _) =>
                {
                    using var request = Build(fuzz, keys, target);
                    using var response = await Client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    var label = $"{operation.Name} [{fuzz.What}] → {(int)response.StatusCode}";
                    Judge(fuzz, (int)response.StatusCode, readControl, label);
                    foreach (var finding in Check(operation, response, body))
                    {
                        findings.Enqueue($"{label}: {finding}");
                    }
                });
            }

            var control = 0;
            foreach (var fuzz in operation.Method == "GET" ? [] : cases)
            {
                sending.Start();
                using var request = Build(fuzz, keys, target);
                using var response = await Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                sending.Stop();
                var status = (int)response.StatusCode;
                var label = $"{operation.Name} [{fuzz.What}] → {status}";
                if (fuzz == controlCase)
                {
                    control = status;
                    if (status >= 400 && status != 409 && status != 422)
                    {
                        findings.Enqueue($"{label}: the valid request was refused: {Shorten(body)}");
                    }
                }

                Judge(fuzz, status, control, label);
                foreach (var finding in Check(operation, response, body))
                {
                    findings.Enqueue($"{label}: {finding}");
                }

                // No statement wrote to any table: nothing changed. Otherwise compare the tables' contents.
                var writes = await ApiFactory.WritesAsync(database);
                if (writes == writesSeen)
                {
                    continue;
                }

                writesSeen = writes;
                snapshotting.Start();
                var snapshot = await SnapshotAsync();
                snapshotting.Stop();
                if (status is >= 200 and < 300)
                {
                    // The input was valid and something was written: back to the seeded state for the next case.
                    accepted++;
                    resets++;
                    restoring.Start();
                    await seed.RestoreAsync();
                    restoring.Stop();
                    target = await TargetAsync();
                    Assert.True(target is not null && target.AgreementId == seeded.AgreementId && target.PartnerId == seeded.PartnerId, "The reset did not bring the seeded records back.");
                    baseline = await SnapshotAsync();
                    writesSeen = await ApiFactory.WritesAsync(database);
                }
                else if (snapshot != baseline)
                {
                    findings.Enqueue($"{label}: the refused request changed the database: {DatabaseSnapshot.Changes(baseline, snapshot)}");
                    baseline = snapshot;
                }
            }

            // And the contents, after every operation's batch, whatever the write counter says.
            if (await SnapshotAsync() != baseline)
            {
                findings.Enqueue($"{operation.Name}: the batch changed the database beyond its accepted writes");
            }
        }

        var classes = string.Join(", ", perClass.OrderBy(c => (int)c.Key).Select(c => $"{c.Key} {c.Value}"));
        var summary = $"OpenAPI fuzz: {operations.Count} operations, {requests} generated requests ({classes}; {accepted} writes accepted as valid) in {clock.Elapsed.TotalSeconds:F1} s " +
                      $"(sending {sending.Elapsed.TotalSeconds:F1} s, snapshots {snapshotting.Elapsed.TotalSeconds:F1} s, {resets} resets in {restoring.Elapsed.TotalSeconds:F1} s); " +
                      $"{acceptedWrongly.Count} invalid or unauthorised requests accepted, {findings.Count} other findings, {deviations.Count} known deviations.";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var deviation in deviations)
        {
            output.WriteLine("known deviation: " + deviation);
        }

        Assert.Equal(34, operations.Count); // 29 JSON operations (5 of them documents), the two CSV exports, the two imports and the calendar
        Assert.True(perClass.GetValueOrDefault(FuzzExpect.Unauthenticated) > 0 && perClass.GetValueOrDefault(FuzzExpect.Forbidden) > 0
            && perClass.GetValueOrDefault(FuzzExpect.PreconditionRequired) > 0 && perClass.GetValueOrDefault(FuzzExpect.Stale) > 0, summary);
        Assert.True(acceptedWrongly.IsEmpty && findings.IsEmpty,
            summary + "\nAccepted but must be refused:\n" + string.Join("\n", acceptedWrongly.Take(200)) + "\nOther findings:\n" + string.Join("\n", findings.Take(400)));
    }

    /// <summary>
    /// Where the service answers otherwise than its document says, known and reported (see the test output) rather than
    /// hidden in the oracle. Each entry fails the test once the service is fixed, so the list cannot outlive the defect.
    /// </summary>
    private static string? KnownDeviationOf(FuzzCase fuzz) => (fuzz.Operation.Path, fuzz.What) switch
    {
        (_, "body validity.termMonths a numeric string") when FuzzOracle.IsMerged(fuzz.Operation) =>
            "a merged body (merge patch, renewal changes) takes a number sent as a JSON string (\"12\"); a body taken whole refuses it",
        (_, "body cooperation.isOpenEnded missing") or (_, "body cooperation.isOpenEnded null") when fuzz.What.EndsWith("missing", StringComparison.Ordinal) || FuzzOracle.IsMerged(fuzz.Operation) =>
            "the document makes cooperation.isOpenEnded required (a non-nullable bool), the binding takes false when it is absent",
        _ => null,
    };

    /// <summary>
    /// A copy of every table as seeded (keys included), and a restore that puts it back in one round trip: a reset after
    /// each accepted write at a fraction of the cost of emptying and seeding through the service.
    /// </summary>
    private sealed class SeedCopy(NpgsqlConnection connection, string restoreSql) : IAsyncDisposable
    {
        public static async Task<SeedCopy> TakeAsync(NpgsqlConnection connection)
        {
            var tables = new List<(string Table, string Columns)>();
            await using (var command = new NpgsqlCommand(
                "SELECT c.table_name, string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) FROM information_schema.columns c " +
                "JOIN pg_tables t ON t.schemaname = c.table_schema AND t.tablename = c.table_name " +
                "WHERE c.table_schema = 'public' AND c.is_generated = 'NEVER' AND c.table_name NOT IN ('__ef_migrations_history', 'rate_limit_counters') " +
                "GROUP BY c.table_name ORDER BY c.table_name", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            var copy = "DROP SCHEMA IF EXISTS fuzz_seed CASCADE; CREATE SCHEMA fuzz_seed; " +
                       string.Concat(tables.Select(t => $"CREATE TABLE fuzz_seed.\"{t.Table}\" AS SELECT {t.Columns} FROM public.\"{t.Table}\"; "));
            await using (var command = new NpgsqlCommand(copy, connection))
            {
                await command.ExecuteNonQueryAsync();
            }

            // Triggers and foreign keys off while the rows go back as they were (the copy is consistent as a whole).
            var restore = "SET session_replication_role = replica; " + string.Concat(tables.Select(t => $"DELETE FROM public.\"{t.Table}\"; ")) +
                          string.Concat(tables.Select(t => $"INSERT INTO public.\"{t.Table}\" ({t.Columns}) OVERRIDING SYSTEM VALUE SELECT {t.Columns} FROM fuzz_seed.\"{t.Table}\"; ")) +
                          "SET session_replication_role = origin;";
            return new SeedCopy(connection, restore);
        }

        /// <summary>Puts the seeded rows back, in one implicit transaction (one round trip): all of it or, after a deadlock with the host's background work, again.</summary>
        public Task RestoreAsync() => ResetRetry.OnDeadlockAsync(async () =>
        {
            await using var command = new NpgsqlCommand(restoreSql, connection);
            await command.ExecuteNonQueryAsync();
        });

        public async ValueTask DisposeAsync()
        {
            await using var command = new NpgsqlCommand("DROP SCHEMA IF EXISTS fuzz_seed CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static IEnumerable<string> Check(FuzzOperation operation, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            yield return "a server error: " + Shorten(body);
        }

        if (!operation.DocumentedStatuses.Contains(status))
        {
            yield return $"status {status} is not documented for the operation";
        }

        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                yield return $"not application/problem+json but {response.Content.Headers.ContentType}: {Shorten(body)}";
            }
            else if (!IsProblem(body, status))
            {
                yield return "the problem lacks status, title, code or traceId: " + Shorten(body);
            }
        }

        foreach (var word in Revealing.Where(w => body.Contains(w, StringComparison.Ordinal)))
        {
            yield return $"the body shows \"{word}\": {Shorten(body)}";
        }

        if (!response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) || nosniff.Single() != "nosniff")
        {
            yield return "no X-Content-Type-Options: nosniff";
        }
    }

    private static bool IsProblem(string body, int status)
    {
        try
        {
            var problem = JsonNode.Parse(body) as JsonObject;
            return problem?["status"]?.GetValue<int>() == status
                && problem["title"] is not null && problem["code"] is not null && problem["traceId"] is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static HttpRequestMessage Build(FuzzCase fuzz, FuzzKeys keys, FuzzTarget target)
    {
        var request = new HttpRequestMessage(new HttpMethod(fuzz.Operation.Method), fuzz.Url);
        var key = fuzz.Key switch
        {
            FuzzKey.Valid => keys.Admin,
            FuzzKey.WrongScope => fuzz.Operation.Path.StartsWith("/api/v1/partners", StringComparison.Ordinal) ? keys.AgreementsOnly : keys.PartnersOnly,
            _ => null,
        };
        if (key is not null && fuzz.Operation.NeedsKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        }

        if (!fuzz.Headers.ContainsKey("If-Match") && target.ETagOf(fuzz.Operation) is { } etag)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        foreach (var (name, value) in fuzz.Headers.Where(h => h.Value.Length > 0))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (!string.IsNullOrEmpty(fuzz.ContentType))
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }

        return request;
    }

    private sealed record FuzzKeys(string Admin, string AgreementsOnly, string PartnersOnly);

    private async Task<FuzzKeys> CreateKeysAsync() =>
        new(await CreateKeyAsync("admin"), await CreateKeyAsync("agreements:write"), await CreateKeyAsync("partners:write"));

    /// <summary>The Osaka partner and its first agreement with their current ETags; null when a write renamed or deleted them.</summary>
    private async Task<FuzzTarget?> TargetAsync()
    {
        using var partner = await Client.GetAsync($"/api/v1/partners/{FuzzTarget.PartnerSlug}");
        using var agreements = await Client.GetAsync($"/api/v1/partners/{FuzzTarget.PartnerSlug}/agreements?sort=signedOn");
        if (!partner.IsSuccessStatusCode || !agreements.IsSuccessStatusCode
            || JsonNode.Parse(await agreements.Content.ReadAsStringAsync())!["items"]!.AsArray().FirstOrDefault()?["id"]?.GetValue<string>() is not { } agreementId)
        {
            return null;
        }

        var partnerId = JsonNode.Parse(await partner.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var agreement = await Client.GetAsync($"/api/v1/agreements/{agreementId}");
        return agreement.IsSuccessStatusCode ? new FuzzTarget(agreementId, partnerId, agreement.Headers.ETag!.Tag, partner.Headers.ETag!.Tag) : null;
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
