using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace LinkJ.Api.Http;

/// <summary>The <c>ReverseProxy</c> section: what to trust and enforce when the service runs behind a proxy that ends TLS.</summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>Read the client's address and scheme from X-Forwarded-For/-Proto, but only when sent by a known proxy.</summary>
    public bool ForwardedHeaders { get; set; }

    /// <summary>Addresses of the proxies allowed to forward (e.g. 10.0.0.5); loopback is always trusted.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies allowed to forward, in CIDR notation (e.g. 10.0.0.0/8).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Redirect http to https (307) — only where clients reach the service over https.</summary>
    public bool HttpsRedirection { get; set; }

    /// <summary>Send Strict-Transport-Security on https responses.</summary>
    public bool Hsts { get; set; }
}

/// <summary>
/// Off by default, so a service reached directly over http on localhost behaves as it always did; on by configuration
/// behind a proxy. Forwarded headers come first, so the rate limits and logs see the client's address, not the proxy's.
/// </summary>
public static class ReverseProxy
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ReverseProxyOptions.Section).Get<ReverseProxyOptions>() ?? new ReverseProxyOptions();
        services.AddSingleton(options);
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            foreach (var proxy in options.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in options.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
        });
        return services;
    }

    public static WebApplication UseReverseProxySupport(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<ReverseProxyOptions>();
        if (options.ForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        if (options.Hsts)
        {
            app.UseHsts();
        }

        if (options.HttpsRedirection)
        {
            app.UseHttpsRedirection();
        }

        return app;
    }
}
