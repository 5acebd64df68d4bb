using System.Net;
using LinkJ.Api.Http;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace LinkJ.Api.IntegrationTests.Security;

/// <summary>
/// Every response tells browsers to treat it as data: nosniff, no framing, no referrer and a CSP that allows nothing —
/// successes, problems, 304s, 429s and the OpenAPI document alike; Swagger UI gets a CSP that lets its page run.
/// </summary>
public sealed class SecurityHeadersTests(ApiFactory factory) : WriteTest(factory)
{
    public static TheoryData<string, int> Responses => new()
    {
        { "/api/v1/agreements", 200 },
        { "/api/v1/agreements?country=XX", 400 },
        { "/api/v1/nothing-here", 404 },
        { "/api/v1/partners/no-such-partner", 404 },
        { "/health/ready", 200 },
        { "/swagger/v1/swagger.json", 200 },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Response_WhenAnyUrlIsRequested_ShouldCarryTheSecurityHeadersAndTheRestrictiveCsp(string url, int status)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(status, (int)response.StatusCode);
        AssertSecurityHeaders(response, SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task NotModified_WhenTheETagMatches_ShouldStillCarryTheSecurityHeaders()
    {
        using var first = await Client.GetAsync("/api/v1/cooperation-scopes");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cooperation-scopes");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.Tag);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        AssertSecurityHeaders(response, SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task Unauthorized_WhenAWriteHasNoKey_ShouldBeAProblemWithTheSecurityHeaders()
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key: null, body: new { }));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        AssertSecurityHeaders(response, SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task TooManyRequests_WhenTheBudgetIsSpent_ShouldStillCarryTheSecurityHeaders()
    {
        await Factory.ResetRateLimitsAsync();
        using var limited = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:AnonymousPerMinute", "1"));
        using var client = limited.CreateClient();
        using var allowed = await client.GetAsync("/api/v1/stats");

        using var refused = await client.GetAsync("/api/v1/stats");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limit.exceeded");
        AssertSecurityHeaders(refused, SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task SwaggerUi_WhenRequested_ShouldGetACspThatAllowsItsOwnScriptsAndStylesButNoFraming()
    {
        using var response = await Client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response, SecurityHeaders.SwaggerUiPolicy);
        Assert.Contains("script-src 'self'", SecurityHeaders.SwaggerUiPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", SecurityHeaders.SwaggerUiPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.SwaggerUiPolicy, StringComparison.Ordinal);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string csp)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(csp, response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
