using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Observability;

/// <summary>/metrics: OpenTelemetry's metrics in Prometheus' text format, outside the API's surface.</summary>
public sealed class MetricsTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>The in-memory server has no ports: Port 0 serves the metrics on every one (by default only on 9464).</summary>
    private WebApplicationFactory<Program> MetricsOnEveryPort(Action<IWebHostBuilder>? configure = null) =>
        Factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Observability:Prometheus:Port", "0");
            configure?.Invoke(builder);
        });

    [Fact]
    public async Task Metrics_WhenARequestWasServed_ShouldReturnPrometheusTextWithHttpServerMetrics()
    {
        await using var host = MetricsOnEveryPort();
        using var client = host.CreateClient();
        using (var served = await client.GetAsync("/api/v1/cooperation-scopes"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        // The server records a request's duration when the request ends, which can be just after the client has the
        // response; and the exporter keeps a scrape for 300 ms. So ask again for a little while.
        var text = string.Empty;
        for (var attempt = 0; attempt < 30 && !text.Contains("/api/v1/cooperation-scopes", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200);
            using var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_route=\"/api/v1/cooperation-scopes\"[^}]*\\} [1-9]", text);
    }

    /// <summary>The pools are named: neither the password nor anything else of the connection string is in a label.</summary>
    [Fact]
    public async Task Metrics_WhenTheConnectionStringHasAPassword_ShouldShowThePoolByNameWithoutIt()
    {
        // The test server trusts local connections, so any password connects.
        var password = "pw" + Guid.NewGuid().ToString("N");
        var withPassword = new NpgsqlConnectionStringBuilder(Factory.ConnectionString) { Password = password, ApplicationName = "metrics-test" };
        await using var host = MetricsOnEveryPort(builder => builder
            .UseSetting("ConnectionStrings:LinkJ", withPassword.ConnectionString)
            .UseSetting("Database:SeedOnStartup", "false"));
        using var client = host.CreateClient();
        using (var read = await client.GetAsync("/api/v1/partners"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var text = string.Empty;
        for (var attempt = 0; attempt < 20 && !text.Contains("db_client_connection_count", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200);
            using var response = await client.GetAsync("/metrics");
            text = await response.Content.ReadAsStringAsync();
        }

        Assert.Matches("db_client_connection_count\\{[^}]*=\"linkj\"", text);
        Assert.DoesNotContain(password, text);
        Assert.DoesNotContain("metrics-test", text);
    }

    /// <summary>With a metrics port configured, the public port does not serve them (the in-memory server's port is 0).</summary>
    [Fact]
    public async Task Metrics_WhenAMetricsPortIsConfiguredAndTheRequestComesOnAnother_ShouldReturn404()
    {
        await using var privateMetrics = Factory.WithWebHostBuilder(builder => builder.UseSetting("Observability:Prometheus:Port", "9464"));
        using var client = privateMetrics.CreateClient();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WhenDisabled_ShouldReturn404()
    {
        await using var withoutMetrics = Factory.WithWebHostBuilder(builder => builder.UseSetting("Observability:Prometheus:Enabled", "false"));
        using var client = withoutMetrics.CreateClient();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WhenScrapedOften_ShouldNotBeRateLimitedNorCarryCachingHeaders()
    {
        await using var host = MetricsOnEveryPort();
        using var client = host.CreateClient();
        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("RateLimit"));
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task OpenApiDocument_WhenServed_ShouldNotListTheMetricsEndpoint()
    {
        var document = await GetJsonAsync("/swagger/v1/swagger.json");

        Assert.DoesNotContain("/metrics", document["paths"]!.AsObject().Select(path => path.Key));
    }
}
