using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>Public reads from any origin; writes only from configured origins; anonymous clients rate-limited.</summary>
public sealed class CorsAndRateLimitTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task Get_WhenCalledFromAnotherOrigin_ShouldAllowItWithoutCredentialsAndExposeTheHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements");
        request.Headers.Add("Origin", "https://www.example-partner.ac.jp");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single();
        foreach (var header in new[] { "ETag", "Link", "Content-Language", "Retry-After", "RateLimit", "RateLimit-Policy" })
        {
            Assert.Contains(header, exposed, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Preflight_WhenAGetFromAnyOrigin_ShouldBeAllowed()
    {
        using var response = await PreflightAsync("/api/v1/partners/osaka-prefecture", "GET", "https://www.example-partner.ac.jp", "if-none-match");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Preflight_WhenAWriteFromTheConfiguredOrigin_ShouldBeAllowed()
    {
        using var response = await PreflightAsync("/api/v1/agreements/00000000-0000-0000-0000-000000000001", "PUT", ApiFactory.TrustedOrigin, "if-match,x-api-key,content-type");

        Assert.Equal(ApiFactory.TrustedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task Preflight_WhenAWriteFromAnUnknownOrigin_ShouldNotBeAllowed()
    {
        using var response = await PreflightAsync("/api/v1/agreements", "POST", "https://evil.example", "x-api-key,content-type");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Get_WhenAnonymousClientExceedsItsBudget_ShouldReturn429WithRetryAfterAndRateLimitHeaders()
    {
        await Factory.ResetRateLimitsAsync();
        using var limited = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("RateLimits:AnonymousPerMinute", "3")
            .UseSetting("RateLimits:ApiKeyPerMinute", "50"));
        using var client = limited.CreateClient();

        for (var i = 3; i > 0; i--)
        {
            using var allowed = await client.GetAsync("/api/v1/cooperation-scopes");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("\"anonymous\";q=3;w=60", allowed.Headers.GetValues("RateLimit-Policy").Single());
            Assert.Equal($"\"anonymous\";r={i - 1}", allowed.Headers.GetValues("RateLimit").Single());
        }

        using var refused = await client.GetAsync("/api/v1/cooperation-scopes");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limit.exceeded");
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.StartsWith("\"anonymous\";r=0;t=", refused.Headers.GetValues("RateLimit").Single());

        // An API-key client has its own, larger budget.
        var key = await CreateKeyAsync("agreements:write");
        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cooperation-scopes");
        withKey.Headers.Add("X-Api-Key", key);
        using var keyed = await client.SendAsync(withKey);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal("\"api-key\";q=50;w=60", keyed.Headers.GetValues("RateLimit-Policy").Single());
    }

    [Fact]
    public async Task Get_WhenAClientSpentItsBudgetOnOneReplica_ShouldBeRefusedByAnother()
    {
        await Factory.ResetRateLimitsAsync();
        using var replicaA = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:AnonymousPerMinute", "3"));
        using var replicaB = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:AnonymousPerMinute", "3"));
        using var clientA = replicaA.CreateClient();
        using var clientB = replicaB.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await clientA.GetAsync("/api/v1/cooperation-scopes");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        await replicaA.Services.GetRequiredService<RateLimitCounters>().FlushAsync(CancellationToken.None);
        using var refused = await clientB.GetAsync("/api/v1/cooperation-scopes");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limit.exceeded");
        // One budget in the database: A's three requests and B's refused first one, counted when B asked.
        Assert.Equal(4, await Factory.ScalarAsync<int>("SELECT count FROM rate_limit_counters WHERE partition LIKE 'address:%'"));
    }

    [Fact]
    public async Task HealthReady_WhenTheBudgetIsSpent_ShouldStillAnswer()
    {
        await Factory.ResetRateLimitsAsync();
        using var limited = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:AnonymousPerMinute", "1"));
        using var client = limited.CreateClient();
        using var spent = await client.GetAsync("/api/v1/cooperation-scopes");
        using var refused = await client.GetAsync("/api/v1/cooperation-scopes");

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.False(ready.Headers.Contains("RateLimit"));
    }

    private async Task<HttpResponseMessage> PreflightAsync(string url, string method, string origin, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await Client.SendAsync(request);
    }
}
