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
/// (<see cref="FuzzCases"/>). Every answer must be a problem (application/problem+json) with a status the document
/// declares for that operation — or a documented success where the input was in fact valid — never a 5xx, never a
/// word of the inside (exception, SQL, type names); and a rejected request must leave every table as it was.
/// </summary>
public sealed class OpenApiFuzzTests(ApiFactory factory, ITestOutputHelper output) : WriteTest(factory)
{
    /// <summary>Words that would show the inside of the service: exceptions, stack frames, SQL, .NET and library type names.</summary>
    public static readonly string[] Revealing = ["Exception", "Npgsql", "at LinkJ.", "LinkJ.Application", "LinkJ.Domain", "System.", "Microsoft.", "SELECT ", "INSERT ", "   at "];

    [Fact]
    public async Task EveryOperation_WhenSentGeneratedBadRequests_ShouldAnswerDocumentedProblemsAndChangeNothing()
    {
        var clock = Stopwatch.StartNew();
        var document = OpenApiRefs.Inline(JsonNode.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"))!);
        FuzzCases.Document = document;
        var operations = FuzzOperation.AllIn(document);
        var snapshotSql = await SnapshotSqlAsync();
        await using var database = new NpgsqlConnection(Factory.ConnectionString);
        await database.OpenAsync();
        await using var snapshotCommand = new NpgsqlCommand(snapshotSql, database);
        async Task<string> SnapshotAsync() => (string)(await snapshotCommand.ExecuteScalarAsync())!;

        var keys = await CreateKeysAsync();
        FuzzTarget? target = await TargetAsync() ?? throw new InvalidOperationException("The seeded Osaka records are missing.");
        var baseline = await SnapshotAsync();
        var writesSeen = await ApiFactory.WritesAsync(database);
        var findings = new ConcurrentQueue<string>();
        var requests = 0;
        var accepted = 0;
        var resets = 0;
        var sending = new Stopwatch();
        var snapshotting = new Stopwatch();

        foreach (var operation in operations)
        {
            var cases = FuzzCases.For(operation, target).ToList();
            requests += cases.Count;
            if (operation.Method == "GET")
            {
                // Reads change nothing (checked after the batch), so they can go four at a time.
                await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (fuzz, _) =>
                {
                    using var request = Build(fuzz, keys, target);
                    using var response = await Client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    foreach (var finding in Check(operation, response, body))
                    {
                        findings.Enqueue($"{operation.Name} [{fuzz.What}] → {(int)response.StatusCode}: {finding}");
                    }
                });
            }

            foreach (var fuzz in operation.Method == "GET" ? [] : cases)
            {
                sending.Start();
                using var request = Build(fuzz, keys, target);
                using var response = await Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                sending.Stop();
                var status = (int)response.StatusCode;
                var label = $"{operation.Name} [{fuzz.What}] → {status}";
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
                    // The input was in fact valid and something was written: that is the state to compare with from now on.
                    accepted++;
                    baseline = snapshot;
                    target = await TargetAsync();
                }
                else if (snapshot != baseline)
                {
                    findings.Enqueue($"{label}: the rejected request changed the database");
                    baseline = snapshot;
                }

                if (target is null)
                {
                    // A valid write renamed or deleted the records aimed at: start again from the seeded state.
                    resets++;
                    await Factory.ResetDatabaseAsync();
                    keys = await CreateKeysAsync();
                    target = await TargetAsync() ?? throw new InvalidOperationException("The seeded Osaka records are missing.");
                    baseline = await SnapshotAsync();
                    writesSeen = await ApiFactory.WritesAsync(database);
                }
            }

            // And the contents, after every operation's batch, whatever the write counter says.
            if (await SnapshotAsync() != baseline)
            {
                findings.Enqueue($"{operation.Name}: the batch changed the database beyond its accepted writes");
            }
        }

        var summary = $"OpenAPI fuzz: {operations.Count} operations, {requests} generated requests ({accepted} writes accepted as valid) in {clock.Elapsed.TotalSeconds:F1} s " +
                      $"(sending {sending.Elapsed.TotalSeconds:F1} s, snapshots {snapshotting.Elapsed.TotalSeconds:F1} s, {resets} resets); {findings.Count} findings.";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.Equal(26, operations.Count); // 24 JSON operations and the two CSV exports
        Assert.True(findings.Count == 0, summary + "\n" + string.Join("\n", findings.Take(200)));
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
            if (fuzz.ContentType is not null)
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

    /// <summary>
    /// One md5 per table of the service, over every row. Left out: when an API key was last used, which the
    /// authentication itself records (at most once a minute) whether the request is then accepted or not.
    /// </summary>
    private async Task<string> SnapshotSqlAsync()
    {
        var tables = (await Factory.ScalarAsync<string>(
            "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('__ef_migrations_history', 'rate_limit_counters')"))!
            .Split(',');
        Assert.Contains("agreements", tables);
        Assert.Contains("idempotency_keys", tables);
        var perTable = tables.Select(t =>
            $"(SELECT '{t}:' || coalesce(md5(string_agg((to_jsonb(t) - 'last_used_at')::text, '|' ORDER BY (to_jsonb(t) - 'last_used_at')::text)), '-') FROM public.\"{t}\" t)");
        return "SELECT concat_ws(' ', " + string.Join(", ", perTable) + ")";
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
