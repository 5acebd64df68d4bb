using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using LinkJ.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>
/// The database goes away under the running service: every request still gets an answer — a 503 problem with
/// Retry-After, never a 500 or a hang — the circuit opens so that requests stop waiting on the database, and when the
/// database is back the service answers again by itself. What is asserted is state (the answers, the circuit); how long
/// the answers took is printed, not asserted: a loaded machine must not fail the test, nor a fast one hide a broken circuit.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Requests_WhenTheDatabaseStopsAndStartsAgain_ShouldFailFastWith503AndRecoverWithoutRestart()
    {
        await using var postgres = await PrivatePostgres.StartNewAsync(durable: false);
        var connectionString = await postgres.CreateDatabaseAsync("linkj");
        await using var host = new PrivateHostFactory(connectionString);
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30); // a hang fails the test instead of holding it
        var key = await CreateKeyAsync(host);
        var partnerId = (await GetJsonAsync(client, "/api/v1/partners/osaka-prefecture"))["id"]!.GetValue<string>();
        using (var created = await client.SendAsync(CreateRequest(key, partnerId, "停止前の覚書")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var warm = await client.GetAsync("/api/v1/agreements?limit=5");
        var etag = warm.Headers.ETag!.Tag;

        var circuit = host.Services.GetRequiredService<DatabaseCircuit>();
        Assert.False(circuit.IsOpen);

        await postgres.StopAsync();

        // Every kind of request: reads (item, list, conditional, feed, stats), writes (with and without Idempotency-Key).
        var requests = new List<Func<HttpRequestMessage>>
        {
            () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements?limit=5"),
            () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/partners/osaka-prefecture"),
            () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/changes") { Headers = { { "X-Api-Key", key } } },
            () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats"),
            () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements?limit=5") { Headers = { { "If-None-Match", etag } } },
            () => CreateRequest(key, partnerId, "停止中の覚書"),
            () =>
            {
                var request = CreateRequest(key, partnerId, "停止中の覚書（再試行可）");
                request.Headers.Add("Idempotency-Key", "outage-" + Guid.NewGuid().ToString("N"));
                return request;
            },
        };
        foreach (var make in requests)
        {
            var (response, elapsed) = await TimedAsync(client, make());
            using (response)
            {
                await AssertUnavailableAsync(response, elapsed);
            }
        }

        // Failures in a row opened the circuit: from here on requests fail without waiting on the database.
        Assert.True(circuit.IsOpen, "Seven requests found the database down and the circuit is still closed.");

        // The same requests on a second host whose circuit lets every request try (no fail-fast window): each one's own
        // database call fails — the data version of a read, the API key check of a write, the idempotency key's
        // transaction — and each still becomes the same 503.
        await using (var probing = new PrivateHostFactory(connectionString, new Dictionary<string, string>
        {
            ["Database:ApplyMigrationsOnStartup"] = "false",
            ["Database:SeedOnStartup"] = "false",
            ["Database:FailFastSeconds"] = "0",
        }))
        {
            using var probingClient = probing.CreateClient();
            probingClient.Timeout = TimeSpan.FromSeconds(30);
            foreach (var make in requests)
            {
                var (response, elapsed) = await TimedAsync(probingClient, make());
                using (response)
                {
                    await AssertUnavailableAsync(response, elapsed);
                }
            }
        }

        // A burst at once, on the open circuit: all answered 503, and the circuit stays open (a probe among them fails too).
        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => TimedAsync(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements?limit=5"))));
        foreach (var (response, elapsed) in burst)
        {
            using (response)
            {
                await AssertUnavailableAsync(response, elapsed);
            }
        }

        Assert.True(circuit.IsOpen);
        output.WriteLine($"while down: slowest of the burst of 40 answered in {burst.Max(b => b.Elapsed).TotalMilliseconds:0} ms");

        var (ready, readyElapsed) = await TimedAsync(client, new HttpRequestMessage(HttpMethod.Get, "/health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        output.WriteLine($"while down: /health/ready answered 503 in {readyElapsed.TotalMilliseconds:0} ms");
        using (var live = await client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // The database comes back: the same service, not restarted, answers again. Only /api/v1 is polled, so the
        // recovery measured is that of the requests themselves, not helped by a readiness check.
        await postgres.StartAsync();
        var back = Stopwatch.StartNew();
        TimeSpan? recovered = null;
        var unavailableMeanwhile = 0;
        while (back.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await client.GetAsync("/api/v1/agreements?limit=5");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                recovered = back.Elapsed;
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            unavailableMeanwhile++;
            await Task.Delay(20);
        }

        Assert.True(recovered is not null, "The service did not answer 200 within 30 s of the database's return.\n" + postgres.Log);
        Assert.False(circuit.IsOpen);
        output.WriteLine($"outage recovery: first 200 {recovered!.Value.TotalMilliseconds:0} ms after PostgreSQL accepted connections again ({unavailableMeanwhile} 503s meanwhile)");

        // No broken connection is left in the pool to fail a later request: everything works, writes included.
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync($"/api/v1/agreements?limit=5&lang={(i % 2 == 0 ? "ja" : "en")}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var created = await client.SendAsync(CreateRequest(key, partnerId, "復旧後の覚書")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var readyAgain = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
        }

        // Nothing the failed writes sent was stored: two created agreements, before and after.
        var titles = (await GetJsonAsync(client, "/api/v1/agreements?limit=100&sort=-signedOn"))["items"]!.AsArray()
            .Select(a => a!["title"]!["ja"]!.GetValue<string>()).Where(t => t.Contains("の覚書", StringComparison.Ordinal) && !t.Contains("大阪", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(["停止前の覚書", "復旧後の覚書"], titles);
    }

    /// <summary>
    /// A database that accepts connections but never answers (a network partition, a hung server): the first request
    /// gets a 503 once its connection attempt times out, and that opens the circuit; the requests after it fail with the
    /// circuit open, without a connection attempt of their own. Durations are printed.
    /// </summary>
    [Fact]
    public async Task Requests_WhenTheDatabaseIsUnreachable_ShouldOpenTheCircuitOnTheFirstTimeoutThenFailFast()
    {
        using var blackHole = new TcpListener(System.Net.IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    accepted.Add(await blackHole.AcceptTcpClientAsync());
                }
                catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
                {
                    return;
                }
            }
        });
        var port = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        await using var host = new PrivateHostFactory($"Host=127.0.0.1;Port={port};Database=linkj;Username=postgres", new Dictionary<string, string>
        {
            ["Database:ApplyMigrationsOnStartup"] = "false",
            ["Database:SeedOnStartup"] = "false",
            ["Database:ConnectTimeoutSeconds"] = "3",
            ["Database:FailuresBeforeFailFast"] = "1", // the first timeout opens the circuit (by default three in a row do)
            ["Database:FailFastSeconds"] = "60", // no probe during this test: what follows the first failure is the fail-fast path
        });
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        var circuit = host.Services.GetRequiredService<DatabaseCircuit>();
        Assert.False(circuit.IsOpen);

        var (first, firstElapsed) = await TimedAsync(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements"));
        using (first)
        {
            await AssertUnavailableAsync(first, firstElapsed);
        }

        // The timeout was seen as the database being unavailable (not as an error of the request): the circuit is open.
        Assert.True(circuit.IsOpen, "The first request timed out connecting and the circuit did not open.");

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => TimedAsync(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/partners"))));
        foreach (var (response, elapsed) in burst)
        {
            using (response)
            {
                await AssertUnavailableAsync(response, elapsed);
            }
        }

        // No probe in the 60 s fail-fast window: every one of the 20 was refused by the open circuit, none tried to connect.
        Assert.True(circuit.IsOpen);
        Assert.False(circuit.TryEnter(out _), "The circuit would let a request try the database within its fail-fast window.");
        output.WriteLine($"unreachable: first request {firstElapsed.TotalMilliseconds:0} ms (connect timeout 3 s); then the slowest of 20 {burst.Max(b => b.Elapsed).TotalMilliseconds:0} ms");

        // Readiness asks the database every time, circuit or not.
        var (ready, readyElapsed) = await TimedAsync(client, new HttpRequestMessage(HttpMethod.Get, "/health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        output.WriteLine($"unreachable: /health/ready answered 503 in {readyElapsed.TotalMilliseconds:0} ms");

        blackHole.Stop();
        foreach (var connection in accepted.ToList())
        {
            connection.Dispose();
        }
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, TimeSpan elapsed)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} → {(int)response.StatusCode} after {elapsed.TotalMilliseconds:0} ms: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal("server.database-unavailable", problem["code"]!.GetValue<string>());
        Assert.Equal(503, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()));
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After missing");
        Assert.DoesNotContain("Npgsql", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", body);
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(HttpClient client, HttpRequestMessage request)
    {
        var watch = Stopwatch.StartNew();
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, watch.Elapsed);
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static HttpRequestMessage CreateRequest(string key, string partnerId, string titleJa) => new(HttpMethod.Post, "/api/v1/agreements")
    {
        Headers = { Authorization = new AuthenticationHeaderValue("ApiKey", key) },
        Content = JsonContent.Create(new
        {
            partnerId,
            type = "mou",
            title = new { ja = titleJa, en = "Outage test" },
            signedOn = "2026-01-15",
            cooperation = new { scopes = new[] { "event-cooperation" }, isOpenEnded = true },
        }),
    };

    private static async Task<string> CreateKeyAsync(PrivateHostFactory host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("outage", ["admin"], CancellationToken.None)).Key;
    }
}
