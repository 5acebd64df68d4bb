using System.Net;
using LinkJ.Api.Http;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Stats;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Queries;
using LinkJ.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Health;

/// <summary>
/// The start-up warm-up (ADR 0052): not ready until it is over; ready even when a read fails or it times out; it answers
/// every read, rehearses the soak's writes to their commit (ADR 0056) and stores nothing, not even a rate-limit counter
/// or a request log line; its key opens nothing to a client.
/// </summary>
public sealed class WarmUpTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Ready_WhenTheWarmUpHasNotEnded_ShouldReturn503UntilItEnds()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = WithWarmUp(services => services.AddScoped<IStatsQueries>(provider =>
            new GatedStats(gate.Task, ActivatorUtilities.CreateInstance<StatsQueries>(provider))));
        using var client = host.CreateClient();
        var state = host.Services.GetRequiredService<WarmUpState>();

        using (var ready = await client.GetAsync("/health/ready"))
        using (var live = await client.GetAsync("/health/live"))
        {
            Assert.False(state.IsOver);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        gate.SetResult();
        await state.Over.WaitAsync(TimeSpan.FromSeconds(60));

        using var after = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("Healthy", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_WhenAWarmUpReadFails_ShouldReturn200AndLogAWarning()
    {
        await using var host = WithWarmUp(services => services.AddScoped<IStatsQueries>(_ => new FailingStats()));
        using var client = host.CreateClient();
        await host.Services.GetRequiredService<WarmUpState>().Over.WaitAsync(TimeSpan.FromSeconds(60));

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(WarmUpEntries(), entry => entry["level"]!.GetValue<string>() == "Warning"
            && entry["message"]!.GetValue<string>().Contains("/api/v1/stats", StringComparison.Ordinal)
            && entry["message"]!.GetValue<string>().Contains("500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ready_WhenTheWarmUpTimesOut_ShouldReturn200AndLogAWarning()
    {
        var never = new TaskCompletionSource();
        await using var host = WithWarmUp(
            services => services.AddScoped<IStatsQueries>(provider => new GatedStats(never.Task, ActivatorUtilities.CreateInstance<StatsQueries>(provider))),
            timeout: "00:00:01");
        using var client = host.CreateClient();
        await host.Services.GetRequiredService<WarmUpState>().Over.WaitAsync(TimeSpan.FromSeconds(60));

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(WarmUpEntries(), entry => entry["level"]!.GetValue<string>() == "Warning"
            && entry["message"]!.GetValue<string>().StartsWith("The start-up warm-up did not end within 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WarmUp_WhenRunOnASeededDatabase_ShouldAnswerEveryRequestRehearseTheWritesAndStoreNothing()
    {
        // On the shared host, already started (a new host's own start-up may write: seed, maintenance): only the warm-up runs.
        _ = Client; // the host is built and its pipeline captured
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        var counters = Factory.Services.GetRequiredService<RateLimitCounters>();
        await counters.FlushAsync(CancellationToken.None);
        var before = await StoredStateAsync(connection);
        var writesBefore = await ApiFactory.WritesAsync(connection);
        var versionBefore = await Factory.Services.GetRequiredService<IDataVersion>().CurrentAsync(CancellationToken.None);
        var requestLinesBefore = RequestLines();
        var entriesBefore = WarmUpEntries().Count();
        var state = new WarmUpState();
        var warmUp = ActivatorUtilities.CreateInstance<StartupWarmUp>(Factory.Services,
            Options.Create(new WarmUpOptions { Enabled = true, Connections = 2 }), state);

        await warmUp.StartAsync(CancellationToken.None);
        await state.Over.WaitAsync(TimeSpan.FromSeconds(60));
        await warmUp.StopAsync(CancellationToken.None);
        await counters.FlushAsync(CancellationToken.None);

        // Every request answered 2xx (a non-2xx one is a warning): 18 public reads and 2 of the change feed with the
        // warm-up's key; 2 creates and 2 updates that reached their commit, where they were rolled back.
        var entries = WarmUpEntries().Skip(entriesBefore).Select(entry => entry["message"]!.GetValue<string>()).ToList();
        Assert.True(entries.Count == 1, "the warm-up logged: " + string.Join(" | ", entries));
        var warmed = entries[0];
        Assert.StartsWith("Warmed up in ", warmed, StringComparison.Ordinal);
        Assert.Contains(": 20 reads answered, 4 writes rehearsed and rolled back, 2 pool connections opened", warmed, StringComparison.Ordinal);
        // The writes ran their statements (the suite counts every statement that writes, rolled back or not) ...
        Assert.True(await ApiFactory.WritesAsync(connection) - writesBefore >= 8, "the rehearsed writes sent no writing statement");
        // ... and nothing of them stayed: no agreement, change, key, tally or delivery; the feed's positions and the data
        // version (public reads' ETags and cached bodies) unchanged; no request log line, no rate-limit count.
        Assert.Equal(before, await StoredStateAsync(connection));
        Assert.Equal(versionBefore, await Factory.Services.GetRequiredService<IDataVersion>().CurrentAsync(CancellationToken.None));
        Assert.Equal(requestLinesBefore, RequestLines());
    }

    [Fact]
    public async Task ApiKey_WhenAClientPresentsTheWarmUpsKey_ShouldReturn401AndWriteNothing()
    {
        var key = Factory.Services.GetRequiredService<WarmUpPipeline>().Key;
        var before = await DatabaseSnapshot.TakeAsync(Factory.ConnectionString);
        using var feed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/changes?limit=10");
        feed.Headers.Add("X-Api-Key", key);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("X-Api-Key", key);

        using var feedResponse = await Client.SendAsync(feed);
        using var createResponse = await Client.SendAsync(create);

        Assert.Equal(HttpStatusCode.Unauthorized, feedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, createResponse.StatusCode);
        Assert.Equal(string.Empty, DatabaseSnapshot.Changes(before, await DatabaseSnapshot.TakeAsync(Factory.ConnectionString)));
    }

    /// <summary>Every table (<see cref="DatabaseSnapshot"/>), the rate-limit counters, and the feed's sequence of positions
    /// (a sequence is not rolled back: a numbered change would move it for good).</summary>
    private static async Task<string> StoredStateAsync(NpgsqlConnection connection)
    {
        await using var snapshot = new NpgsqlCommand(await DatabaseSnapshot.SqlAsync(connection), connection);
        var tables = (string)(await snapshot.ExecuteScalarAsync())!;
        await using var rest = new NpgsqlCommand(
            "SELECT 'positions=' || (SELECT last_value || '/' || is_called FROM change_positions) || ' rate_limit_counters=' || " +
            "coalesce((SELECT md5(string_agg(to_jsonb(r)::text, '|' ORDER BY to_jsonb(r)::text)) FROM rate_limit_counters r), '-')", connection);
        return tables + "\n" + (string)(await rest.ExecuteScalarAsync())!;
    }

    private WebApplicationFactory<Program> WithWarmUp(Action<IServiceCollection> services, string timeout = "00:00:20", string connections = "0") =>
        Factory.WithWebHostBuilder(builder => builder
            .ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WarmUp:Enabled"] = "true", ["WarmUp:Timeout"] = timeout, ["WarmUp:Connections"] = connections,
            }))
            .ConfigureTestServices(services));

    private IEnumerable<System.Text.Json.Nodes.JsonObject> WarmUpEntries() => Factory.Logs.Entries.Where(entry =>
        entry["category"]!.GetValue<string>() == typeof(StartupWarmUp).FullName);

    private int RequestLines() => Factory.Logs.Entries.Count(entry => entry["category"]!.GetValue<string>() == LinkJ.Api.Observability.RequestLog.Category);

    private sealed class GatedStats(Task gate, IStatsQueries inner) : IStatsQueries
    {
        public async Task<StatsSources> ReadAsync(Language language, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            return await inner.ReadAsync(language, cancellationToken);
        }
    }

    private sealed class FailingStats : IStatsQueries
    {
        public Task<StatsSources> ReadAsync(Language language, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("warm-up test: the statistics cannot be read");
    }
}
