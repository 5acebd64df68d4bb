using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace LinkJ.Api.IntegrationTests.Faults;

public sealed partial class ApiProcessFaultTests
{
    private const int InFlight = 5;

    /// <summary>SIGTERM, as an orchestrator stops the service: requests in flight finish, new connections are refused, the process exits 0.</summary>
    [PostgresFact]
    public async Task InFlightWrites_WhenTheApiGetsSigterm_ShouldCompleteWhileNewConnectionsAreRefusedAndTheProcessExitsZero()
    {
        var (_, connectionString) = await cluster.GetAsync();
        await using var api = await cluster.TakeRunningApiAsync(); // its ShutdownTimeoutSeconds: the default, 25 s
        var key = await CreateKeyAsync(connectionString);
        using var client = api.CreateClient();
        var partnerId = await PartnerIdAsync(client);
        var run = Guid.NewGuid().ToString("N")[..8];

        // Slow writes on demand: a transaction of ours locks the change feed's table, so every create waits at its commit.
        await using var blocker = new NpgsqlConnection(connectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockFeed = new NpgsqlCommand("LOCK TABLE changes IN EXCLUSIVE MODE", blocker, transaction))
        {
            await lockFeed.ExecuteNonQueryAsync();
        }

        var writes = Enumerable.Range(1, InFlight)
            .Select(n => client.SendAsync(CreateRequest(key, $"shutdown-{run}-{n}", AgreementBody(partnerId, $"shutdown-test-{run}-{n}", n))))
            .ToArray();
        await WaitUntilAsync(async () => await ScalarAsync(connectionString,
            // Only the creates' own INSERTs count: the service's background work (expiring agreements at start-up) can wait on
            // the same locks, and counting it would send SIGTERM while a write is still on its way in.
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE 'INSERT%'") >= InFlight,
            "the writes to wait at the lock");

        var stopping = Stopwatch.StartNew();
        await api.TerminateAsync();

        // New connections are refused as soon as the server stops listening, while the writes are still in flight.
        SocketException? refusal = null;
        await WaitUntilAsync(async () =>
        {
            using var fresh = api.CreateClient(TimeSpan.FromSeconds(5));
            try
            {
                using var response = await fresh.GetAsync("/health/live");
                return false;
            }
            // A reset can come wrapped in an IOException (the server closed while the request was being read).
            catch (HttpRequestException exception) when (SocketErrorOf(exception) is { } socket)
            {
                refusal = socket;
                return true;
            }
        }, "new connections to be refused");
        var refusedAfter = stopping.Elapsed;
        // Refused, or reset when the connection reached the closing listener's backlog: either way at once, and unprocessed.
        Assert.Contains(refusal!.SocketErrorCode, new[] { SocketError.ConnectionRefused, SocketError.ConnectionReset });
        Assert.All(writes, write => Assert.False(write.IsCompleted, "a write finished before the lock was released"));
        Assert.False(api.HasExited, "the process exited with requests in flight");

        await transaction.CommitAsync();
        var responses = await Task.WhenAll(writes);
        var completedAfter = stopping.Elapsed;
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            response.Dispose();
        }

        Assert.True(await api.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the process did not exit within its shutdown timeout:\n" + api.Output);
        Assert.True(api.ExitCode == 0, $"exit code {api.ExitCode}:\n{api.Output}");
        Assert.Equal(InFlight, await ScalarAsync(connectionString, $"SELECT count(*) FROM agreements WHERE title_en LIKE 'shutdown-test-{run}-%'"));
        output.WriteLine($"graceful shutdown: new connections refused {refusedAfter.TotalMilliseconds:0} ms after SIGTERM; the {InFlight} in-flight writes " +
                         $"answered 201 at {completedAfter.TotalMilliseconds:0} ms (when the lock was released); exit code 0 at {stopping.Elapsed.TotalMilliseconds:0} ms");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static SocketException? SocketErrorOf(Exception exception)
    {
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }
}
