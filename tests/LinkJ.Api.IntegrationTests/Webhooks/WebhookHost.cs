using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>
/// A replica of the API whose webhook dispatcher runs (the suite's shared host has it off), over the test database:
/// short polls, a test-sized retry schedule and lease, loopback receivers allowed. Two of them are two replicas.
/// </summary>
public sealed class WebhookHost(ApiFactory inner, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:LinkJ", inner.ConnectionString);
        builder.UseSetting("Database:ApplyMigrationsOnStartup", "false");
        builder.UseSetting("Database:SeedOnStartup", "false");
        builder.UseSetting("Maintenance:Interval", "1.00:00:00");
        builder.UseSetting("Webhooks:DispatcherEnabled", "true");
        builder.UseSetting("Webhooks:AllowLoopback", "true");
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.050");
        builder.UseSetting("Webhooks:Jitter", "0");
        builder.UseSetting("Webhooks:RetrySchedule:0", "00:00:00.300");
        builder.UseSetting("Webhooks:RetrySchedule:1", "00:00:00.600");
        builder.UseSetting("Webhooks:Timeout", "00:00:05");
        builder.UseSetting("Webhooks:Lease", "00:00:10");
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(name, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>Starts the host (and so its dispatcher).</summary>
    public WebhookHost Start()
    {
        _ = Services;
        return this;
    }
}
