using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The API on Kestrel on a free loopback port, over the test database (already migrated and seeded by
/// <see cref="ApiFactory"/>): for what only a real server decides, such as its headers and what happens to an unread body.
/// </summary>
public sealed class KestrelHost : WebApplicationFactory<Program>
{
    private readonly ApiFactory _inner;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public KestrelHost(ApiFactory inner, IReadOnlyDictionary<string, string>? settings = null)
    {
        _inner = inner;
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:LinkJ", _inner.ConnectionString);
        builder.UseSetting("Database:ApplyMigrationsOnStartup", "false");
        builder.UseSetting("Database:SeedOnStartup", "false");
        builder.UseSetting("RateLimits:AnonymousPerMinute", "1000000");
        builder.UseSetting("RateLimits:ApiKeyPerMinute", "1000000");
        builder.UseSetting("RateLimits:FailedAuthPerMinute", "1000000");
        foreach (var (name, value) in _settings)
        {
            builder.UseSetting(name, value);
        }
    }
}
