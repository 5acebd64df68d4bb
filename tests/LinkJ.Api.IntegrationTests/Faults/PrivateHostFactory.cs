using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>The whole API in memory, on a database of the test's own (not the suite's shared one), with extra settings.</summary>
public sealed class PrivateHostFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:LinkJ", connectionString);
        builder.UseSetting("RateLimits:AnonymousPerMinute", "1000000");
        builder.UseSetting("RateLimits:ApiKeyPerMinute", "1000000");
        builder.UseSetting("Maintenance:Interval", "1.00:00:00");
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(name, value);
        }
    }
}
