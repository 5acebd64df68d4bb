using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LinkJ.Api.IntegrationTests.Pages;

/// <summary>
/// A browser test: runs where Debian's Chromium is installed; skipped elsewhere on a developer's machine, but never under
/// CI (CI=true), where a missing browser must fail the run, as <see cref="PostgresFactAttribute"/> does for PostgreSQL.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <inheritdoc cref="BrowserFactAttribute"/>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (BrowserFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// Playwright for .NET driving the system's Chromium (<c>/usr/bin/chromium</c>; Playwright's own browser downloads are
/// not reachable here, and its driver ships inside the NuGet package), the API on Kestrel on a free loopback port over
/// the tests' database, and a partner's page on another loopback origin for the widget. One per test class.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Why browser tests are skipped here; null when they run (always under CI=true).</summary>
    public static string? SkipReason => SkipReasonIn(Environment.GetEnvironmentVariable, File.Exists);

    /// <summary><see cref="SkipReason"/> for a given environment and file system.</summary>
    public static string? SkipReasonIn(Func<string, string?> environment, Func<string, bool> exists) =>
        exists(ChromiumPath) || string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"No Chromium at {ChromiumPath} (apt-get install chromium); scripts/test.sh installs it where it runs as root.";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private KestrelHost? _api;
    private WebApplication? _partnerSite;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The API's origin, e.g. http://127.0.0.1:41234.</summary>
    public Uri ApiOrigin { get; private set; } = null!;

    /// <summary>The partner site's origin: another port, so another origin than the API's.</summary>
    public Uri PartnerOrigin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>Starts the API and the partner site on first use (the API needs the collection's database).</summary>
    public async Task StartAsync(ApiFactory factory)
    {
        await _gate.WaitAsync();
        try
        {
            if (_api is not null)
            {
                return;
            }

            _api = new KestrelHost(factory);
            _api.StartServer();
            ApiOrigin = new Uri(_api.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));

            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _partnerSite = builder.Build();
            _partnerSite.MapGet("/", (HttpContext http) => Results.Content(PartnerPage(http.Request.Query["lang"].ToString() is "en" ? "en" : "ja",
                http.Request.Query["country"].ToString()), "text/html; charset=utf-8"));
            await _partnerSite.StartAsync();
            PartnerOrigin = new Uri(_partnerSite.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A partner's page that embeds the widget as the page's footer tells them to.</summary>
    private string PartnerPage(string lang, string country) => $$"""
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{{(lang == "en" ? "Our partners" : "連携先")}}</title></head>
        <body>
        <main>
        <h1>{{(lang == "en" ? "Our partners" : "連携先")}}</h1>
        <linkj-partnerships lang="{{lang}}"{{(country.Length > 0 ? $" country=\"{country}\"" : "")}}></linkj-partnerships>
        </main>
        <script src="{{ApiOrigin}}widget/linkj-partnerships.js"></script>
        </body>
        </html>
        """;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_partnerSite is not null)
        {
            await _partnerSite.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
