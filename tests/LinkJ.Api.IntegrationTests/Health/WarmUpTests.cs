using System.Net;
using LinkJ.Api.Http;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Stats;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Queries;
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
/// every read and writes nothing, not even a rate-limit counter or a request log line.
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

    /// <summary>
    /// Every probe while the warm-up runs is a 503, but not an Error in the log (ADR 0058): an operator reading Errors would
    /// see one per probe at every deploy. The health check service logs each Unhealthy check as an Error, so the warm-up is
    /// no health check: the readiness endpoint asks <see cref="WarmUpState"/> itself.
    /// </summary>
    [Fact]
    public async Task Ready_WhileTheWarmUpRuns_ShouldReturn503WithoutLoggingAnError()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = WithWarmUp(services => services.AddScoped<IStatsQueries>(provider =>
            new GatedStats(gate.Task, ActivatorUtilities.CreateInstance<StatsQueries>(provider))));
        using var client = host.CreateClient();
        var state = host.Services.GetRequiredService<WarmUpState>();
        var start = DateTimeOffset.UtcNow;

        for (var probe = 0; probe < 3; probe++)
        {
            using var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        }

        Assert.False(state.IsOver);
        var logged = Factory.Logs.EntriesSince(start).ToList();
        gate.SetResult();
        await state.Over.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(logged.Where(entry => entry["level"]!.GetValue<string>() is "Error" or "Critical"
            || (entry["category"]!.GetValue<string>() == HealthCheckServiceCategory && entry["level"]!.GetValue<string>() is not ("Debug" or "Trace")))
            .Select(entry => entry.ToJsonString()));
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
    public async Task WarmUp_WhenRunOnASeededDatabase_ShouldAnswerEveryReadAndWriteNothing()
    {
        // On the shared host, already started (a new host's own start-up may write: seed, maintenance): only the warm-up runs.
        _ = Client; // the host is built and its pipeline captured
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        var writesBefore = await ApiFactory.WritesAsync(connection);
        var requestLinesBefore = RequestLines();
        var warmedBefore = WarmedUp().Count;
        var state = new WarmUpState();
        var warmUp = ActivatorUtilities.CreateInstance<StartupWarmUp>(Factory.Services,
            Options.Create(new WarmUpOptions { Enabled = true, Connections = 2 }), state);

        await warmUp.StartAsync(CancellationToken.None);
        await state.Over.WaitAsync(TimeSpan.FromSeconds(60));
        await warmUp.StopAsync(CancellationToken.None);

        var warmed = Assert.Single(WarmedUp().Skip(warmedBefore));
        Assert.Contains(": 18 reads answered, 2 pool connections opened", warmed, StringComparison.Ordinal);
        Assert.Equal(requestLinesBefore, RequestLines());
        Assert.Equal(writesBefore, await ApiFactory.WritesAsync(connection));
    }

    /// <summary>The framework's health check service: it logs each check's end, an Unhealthy one as an Error.</summary>
    internal const string HealthCheckServiceCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    private WebApplicationFactory<Program> WithWarmUp(Action<IServiceCollection> services, string timeout = "00:00:20", string connections = "0") =>
        Factory.WithWebHostBuilder(builder => builder
            .ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WarmUp:Enabled"] = "true", ["WarmUp:Timeout"] = timeout, ["WarmUp:Connections"] = connections,
            }))
            .ConfigureTestServices(services));

    private IEnumerable<System.Text.Json.Nodes.JsonObject> WarmUpEntries() => Factory.Logs.Entries.Where(entry =>
        entry["category"]!.GetValue<string>() == typeof(StartupWarmUp).FullName);

    private List<string> WarmedUp() => WarmUpEntries().Select(entry => entry["message"]!.GetValue<string>())
        .Where(message => message.StartsWith("Warmed up", StringComparison.Ordinal)).ToList();

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
