using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace LinkJ.Api.IntegrationTests.Faults;

public sealed partial class ApiProcessFaultTests
{
    private const int Writers = 8;
    private const int AcknowledgedBeforeKill = 40;
    private const string TitlePrefix = "crash-test-";

    /// <summary>
    /// The service is killed (SIGKILL) in the middle of a burst of creates, and the database crashes with it: every
    /// write that was acknowledged is there, whole; no record is half-written; a client that retries what it never got
    /// an answer for (same Idempotency-Key) ends with each agreement exactly once; the change feed matches the tables.
    /// </summary>
    [PostgresFact]
    public async Task Creates_WhenTheApiIsKilledMidBurst_ShouldKeepEveryAcknowledgedWriteWholeAndNoneHalfDone()
    {
        var clock = Stopwatch.StartNew();
        var phases = new List<string>();
        void Phase(string name) => phases.Add($"{name} {clock.Elapsed.TotalSeconds:0.0} s");
        var (postgres, connectionString) = await cluster.GetAsync(); // fsync on, synchronous commit: as deployed
        Phase("postgres");
        var key = string.Empty;
        var partnerId = string.Empty;
        var attempts = new ConcurrentDictionary<int, JsonObject>();
        var acknowledged = new ConcurrentDictionary<int, JsonNode>();
        var refused = new ConcurrentBag<string>();

        await using (var api = await cluster.TakeRunningApiAsync())
        {
            Phase("api");
            key = await CreateKeyAsync(connectionString);
            using var client = api.CreateClient();
            partnerId = await PartnerIdAsync(client);

            var next = 0;
            var killed = 0;
            async Task WriteUntilKilledAsync()
            {
                while (Volatile.Read(ref killed) == 0)
                {
                    var number = Interlocked.Increment(ref next);
                    var body = AgreementBody(partnerId, TitlePrefix + number, number);
                    attempts[number] = body;
                    try
                    {
                        using var response = await client.SendAsync(CreateRequest(key, $"crash-{number}", body));
                        var text = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged[number] = JsonNode.Parse(text)!;
                        }
                        else
                        {
                            refused.Add($"#{number}: {(int)response.StatusCode} {text}");
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        // Killed while this request was in flight: its outcome is unknown to the client.
                    }
                }
            }

            var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteUntilKilledAsync)).ToArray();
            var burst = Stopwatch.StartNew();
            while (acknowledged.Count < AcknowledgedBeforeKill && burst.Elapsed < TimeSpan.FromSeconds(30) && !writers.Any(w => w.IsCompleted))
            {
                await Task.Delay(2);
            }

            Phase("burst");
            api.Kill();
            Volatile.Write(ref killed, 1);
            await Task.WhenAll(writers);
            Assert.True(await api.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the killed API did not exit");
            Assert.True(acknowledged.Count >= AcknowledgedBeforeKill, $"only {acknowledged.Count} creates were acknowledged before the kill:\n{api.Output}");
        }

        // Everything the service had not answered was refused cleanly or cut off by the kill, never failed.
        Assert.Empty(refused);

        // The database crashes too (immediate stop: no checkpoint; the restart replays the WAL).
        await postgres.StopAsync(crash: true);
        await postgres.StartAsync();

        Phase("crash-recovery");
        var restarted = await ApiProcess.StartAsync(connectionString);
        Phase("restart");
        try
        {
            await CheckAfterCrashAsync(restarted, connectionString, key, partnerId, attempts, acknowledged);
            Phase("checks");
            cluster.KeepRunning(restarted); // the next test may use it
            restarted = null;
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }

        output.WriteLine("phases: " + string.Join(", ", phases));
    }

    private async Task CheckAfterCrashAsync(
        ApiProcess restarted, string connectionString, string key, string partnerId, ConcurrentDictionary<int, JsonObject> attempts, ConcurrentDictionary<int, JsonNode> acknowledged)
    {
        using var after = restarted.CreateClient();

        // 1. Every acknowledged write is there, with everything the client was told.
        foreach (var (number, created) in acknowledged)
        {
            using var response = await after.GetAsync($"/api/v1/agreements/{created["id"]}");
            var read = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged #{number} ({created["id"]}) is missing: {read}");
            Assert.True(JsonNode.DeepEquals(Stable(created), Stable(read)), $"acknowledged #{number} differs:\n{created}\n{read}");
            Assert.Equal(partnerId, read["partner"]!["id"]!.GetValue<string>());
            Assert.Equal(attempts[number]["cooperation"]!["note"]!.GetValue<string>(), read["cooperation"]!["note"]!.GetValue<string>());
        }

        // 2. Nothing half-done: each agreement has its change record and its idempotency key with the response, and
        //    nothing else exists without its agreement.
        var stored = await ScalarAsync(connectionString, $"SELECT count(*) FROM agreements WHERE title_en LIKE '{TitlePrefix}%'");
        Assert.InRange(stored, acknowledged.Count, attempts.Count);
        Assert.Equal(0, await ScalarAsync(connectionString,
            "SELECT count(*) FROM agreements a WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.resource_type = 'agreement' AND c.resource_id = a.id AND c.operation = 'created' AND c.version = 1)"));
        Assert.Equal(0, await ScalarAsync(connectionString,
            "SELECT count(*) FROM changes c WHERE NOT EXISTS (SELECT 1 FROM agreements a WHERE a.id = c.resource_id UNION ALL SELECT 1 FROM partners p WHERE p.id = c.resource_id)"));
        Assert.Equal(0, await ScalarAsync(connectionString, "SELECT count(*) FROM idempotency_keys WHERE status_code <> 201 OR body IS NULL"));
        Assert.Equal(stored, await ScalarAsync(connectionString,
            $"SELECT count(*) FROM idempotency_keys k JOIN agreements a ON a.id = (k.body::jsonb ->> 'id')::uuid WHERE k.key LIKE 'crash-%' AND a.title_en LIKE '{TitlePrefix}%'"));

        // 3. The client retries what it never got an answer for: a write that committed is replayed, one that did not
        //    runs now; in the end every attempted agreement exists exactly once.
        var replayed = 0;
        foreach (var (number, body) in attempts.Where(a => !acknowledged.ContainsKey(a.Key)))
        {
            using var response = await after.SendAsync(CreateRequest(key, $"crash-{number}", body));
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"retry of #{number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true"))
            {
                replayed++;
            }
        }

        Assert.Equal(stored - acknowledged.Count, replayed);
        Assert.Equal(attempts.Count, await ScalarAsync(connectionString, $"SELECT count(*) FROM agreements WHERE title_en LIKE '{TitlePrefix}%'"));
        Assert.Equal(attempts.Count, await ScalarAsync(connectionString, $"SELECT count(DISTINCT title_en) FROM agreements WHERE title_en LIKE '{TitlePrefix}%'"));

        // 4. The change feed, followed from the start, holds exactly the tables' records, in increasing positions.
        var feed = new List<JsonNode>();
        string? cursor = null;
        while (true)
        {
            using var feedRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/changes?limit=1000" + (cursor is null ? string.Empty : "&after=" + Uri.EscapeDataString(cursor)));
            feedRequest.Headers.Add("X-Api-Key", key); // the change feed needs sync:read (admin has it)
            using var response = await after.SendAsync(feedRequest);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            feed.AddRange(page["items"]!.AsArray().Select(item => item!));
            cursor = page["next"]!.GetValue<string>();
            if (!page["hasMore"]!.GetValue<bool>())
            {
                break;
            }
        }

        var createdInFeed = feed.Where(c => c["resourceType"]!.GetValue<string>() == "agreement" && c["operation"]!.GetValue<string>() == "created")
            .Select(c => c["resourceId"]!.GetValue<string>()).ToList();
        Assert.Equal(createdInFeed.Count, createdInFeed.Distinct().Count());
        Assert.Equal(await ScalarAsync(connectionString, "SELECT count(*) FROM agreements"), createdInFeed.Count);
        Assert.Equal(await ScalarAsync(connectionString, "SELECT count(*) FROM changes"), feed.Count);
        foreach (var (number, created) in acknowledged)
        {
            Assert.Contains(created["id"]!.GetValue<string>(), createdInFeed);
        }

        output.WriteLine($"crash test: {attempts.Count} creates sent by {Writers} writers; {acknowledged.Count} acknowledged before SIGKILL; " +
                         $"{attempts.Count - acknowledged.Count} cut off in flight, of which {replayed} had committed (replayed on retry) and " +
                         $"{attempts.Count - acknowledged.Count - replayed} had not (created on retry); all {acknowledged.Count} acknowledged present and whole " +
                         $"after the API's kill and PostgreSQL's crash recovery; {feed.Count} changes in the feed = the tables");
    }

    /// <summary>What must not change between the 201 and a later read: everything but the running number, which later writes may move.</summary>
    private static JsonNode Stable(JsonNode agreement)
    {
        var copy = agreement.DeepClone().AsObject();
        copy.Remove("ordinal");
        return copy;
    }
}
