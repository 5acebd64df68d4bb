using System.Net;
using System.Net.Sockets;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 4: no server banner; metrics only on their own port by default; the database pools named, so that no
/// metric label carries a connection string (host, port, database, user).
/// </summary>
public sealed class ServerExposureTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("/api/v1/stats")]
    [InlineData("/health/live")]
    [InlineData("/api/v1/no-such-thing")]
    public async Task Get_WhenServedByKestrel_ShouldSendNoServerHeader(string url)
    {
        await using var kestrel = new KestrelHost(Factory);
        using var client = kestrel.CreateClient();

        using var response = await client.GetAsync(url);

        Assert.False(response.Headers.Contains("Server"), string.Join(",", response.Headers.Server));
    }

    [Fact]
    public async Task Metrics_WhenNothingIsConfigured_ShouldNotBeServedOnTheApiPort()
    {
        await using var defaults = Factory.WithWebHostBuilder(_ => { });
        using var client = defaults.CreateClient();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WhenTheServiceRuns_ShouldServeThemOnTheMetricsPortOnlyWithNamedPools()
    {
        var metricsPort = FreePort();
        var connection = new NpgsqlConnectionStringBuilder(Factory.ConnectionString) { ApplicationName = "exposure-test" };
        await using var api = await ApiProcess.StartAsync(connection.ConnectionString, new Dictionary<string, string>
        {
            ["Observability__Prometheus__Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Database__ApplyMigrationsOnStartup"] = "false",
            ["Database__SeedOnStartup"] = "false",
        });
        using var client = api.CreateClient();
        using (var read = await client.GetAsync("/api/v1/partners"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.False(read.Headers.Contains("Server"));
        }

        using (var onApiPort = await client.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.NotFound, onApiPort.StatusCode);
        }

        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var text = string.Empty;
        for (var attempt = 0; attempt < 30 && !text.Contains("db_client_connection_count", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200);
            using var response = await metrics.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
        }

        Assert.Matches("db_client_connection_count\\{[^}]*=\"linkj\"", text);
        var host = new NpgsqlConnectionStringBuilder(Factory.ConnectionString);
        Assert.DoesNotContain("exposure-test", text);
        Assert.DoesNotContain("Database=" + host.Database, text);
        Assert.DoesNotContain("Username=", text);
        Assert.DoesNotContain("Host=", text);

        using var metricsOnlyThere = await metrics.GetAsync("/api/v1/partners");
        Assert.Equal(HttpStatusCode.NotFound, metricsOnlyThere.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
