using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Security;

/// <summary>
/// Behind a reverse proxy that ends TLS: X-Forwarded-For/-Proto are believed only when configured and only from known
/// proxies; HTTPS redirection and HSTS are off by default and on by configuration.
/// </summary>
public sealed class ReverseProxyTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Proxy = "10.0.0.5";

    [Fact]
    public async Task ForwardedFor_WhenNotConfigured_ShouldBeIgnoredSoAClientCannotChooseItsRateLimitPartition()
    {
        await Factory.ResetRateLimitsAsync();
        using var limited = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:AnonymousPerMinute", "1"));
        using var client = limited.CreateClient();

        using var first = await SendAsync(client, "/api/v1/stats", forwardedFor: "203.0.113.1");
        using var second = await SendAsync(client, "/api/v1/stats", forwardedFor: "203.0.113.2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task ForwardedFor_WhenSentByAKnownProxy_ShouldBeTheClientAddressTheRateLimitSees()
    {
        await Factory.ResetRateLimitsAsync();
        using var proxied = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("RateLimits:AnonymousPerMinute", "1")
            .UseSetting("ReverseProxy:ForwardedHeaders", "true")
            .UseSetting("ReverseProxy:KnownProxies:0", Proxy)
            .ComingFrom(Proxy));
        using var client = proxied.CreateClient();

        using var first = await SendAsync(client, "/api/v1/stats", forwardedFor: "203.0.113.1");
        using var second = await SendAsync(client, "/api/v1/stats", forwardedFor: "203.0.113.2");
        using var third = await SendAsync(client, "/api/v1/stats", forwardedFor: "203.0.113.2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode); // another client behind the same proxy: a budget of its own
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task ForwardedFor_WhenSentByAnUnknownAddress_ShouldBeIgnored()
    {
        await Factory.ResetRateLimitsAsync();
        using var proxied = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("RateLimits:AnonymousPerMinute", "1")
            .UseSetting("ReverseProxy:ForwardedHeaders", "true")
            .UseSetting("ReverseProxy:KnownNetworks:0", "10.0.0.0/24")
            .ComingFrom("192.0.2.9"));
        using var client = proxied.CreateClient();

        using var first = await SendAsync(client, "/api/v1/stats", forwardedFor: "203.0.113.1");
        using var second = await SendAsync(client, "/api/v1/stats", forwardedFor: "203.0.113.2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task HttpsAndHsts_WhenNotConfigured_ShouldNeitherRedirectNorSendHsts()
    {
        using var http = Factory.CreateDefaultClient(new Uri("http://api.link-j.example"));
        using var https = Factory.CreateDefaultClient(new Uri("https://api.link-j.example"));

        using var plain = await http.GetAsync("/api/v1/stats");
        using var secure = await https.GetAsync("/api/v1/stats");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.False(secure.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task HttpsAndHsts_WhenConfigured_ShouldRedirectHttpAndSendHstsOverHttpsAsTheProxySaysIt()
    {
        using var strict = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("ReverseProxy:ForwardedHeaders", "true")
            .UseSetting("ReverseProxy:KnownProxies:0", Proxy)
            .UseSetting("ReverseProxy:HttpsRedirection", "true")
            .UseSetting("ReverseProxy:Hsts", "true")
            .UseSetting("https_port", "443")
            .ComingFrom(Proxy));
        using var client = strict.CreateDefaultClient(new Uri("http://api.link-j.example"));

        using var plain = await client.GetAsync("/api/v1/stats");
        using var viaTls = await SendAsync(client, "/api/v1/stats", forwardedProto: "https");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://api.link-j.example/api/v1/stats", plain.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, viaTls.StatusCode);
        Assert.StartsWith("max-age=31536000", viaTls.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string? forwardedFor = null, string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return client.SendAsync(request);
    }
}

internal static class RemoteAddress
{
    /// <summary>Makes every in-memory request come from <paramref name="address"/>, as a proxy's would, before the app's middleware runs.</summary>
    public static IWebHostBuilder ComingFrom(this IWebHostBuilder builder, string address) =>
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new From(IPAddress.Parse(address))));

    private sealed class From(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate inner) =>
            {
                context.Connection.RemoteIpAddress = address;
                return inner(context);
            });
            next(app);
        };
    }
}
