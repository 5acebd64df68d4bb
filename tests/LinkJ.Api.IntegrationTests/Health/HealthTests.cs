using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Health;

/// <summary>/health/live (the process answers) and /health/ready (the database answers and is migrated).</summary>
public sealed class HealthTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_WhenTheDatabaseIsMigrated_ShouldReturn200Healthy(string url)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Without its database the service is alive but not ready: the readiness check must be able to fail.</summary>
    [Fact]
    public async Task Ready_WhenTheDatabaseDoesNotExist_ShouldReturn503UnhealthyWhileLiveStays200()
    {
        await using var withoutDatabase = WithoutDatabase();
        using var client = withoutDatabase.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>
    /// A real failing dependency is still an Error in the log (ADR 0058 only took the warm-up out of the health checks):
    /// the database check's Unhealthy end, logged by the framework's health check service.
    /// </summary>
    [Fact]
    public async Task Ready_WhenTheDatabaseDoesNotExist_ShouldLogTheFailedCheckAsAnError()
    {
        await using var withoutDatabase = WithoutDatabase();
        using var client = withoutDatabase.CreateClient();
        var start = DateTimeOffset.UtcNow;

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains(Factory.Logs.EntriesSince(start), entry => entry["level"]!.GetValue<string>() == "Error"
            && entry["category"]!.GetValue<string>() == WarmUpTests.HealthCheckServiceCategory
            && entry["message"]!.GetValue<string>().Contains("database", StringComparison.Ordinal)
            && entry["message"]!.GetValue<string>().Contains("Unhealthy", StringComparison.Ordinal));
    }

    /// <summary>The service pointed at a database that does not exist (and told not to create, migrate or seed it).</summary>
    private WebApplicationFactory<Program> WithoutDatabase()
    {
        var missing = new NpgsqlConnectionStringBuilder(Factory.ConnectionString) { Database = "linkj_missing_" + Guid.NewGuid().ToString("N")[..8] };
        return Factory.WithWebHostBuilder(builder => builder
            .UseSetting("ConnectionStrings:LinkJ", missing.ConnectionString)
            .UseSetting("Database:ApplyMigrationsOnStartup", "false")
            .UseSetting("Database:SeedOnStartup", "false"));
    }
}
