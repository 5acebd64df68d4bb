using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Abstractions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Errors;

/// <summary>
/// Every failure is an RFC 9457 application/problem+json with a stable code and a trace id, whether the framework,
/// the validators, the domain or an unexpected exception raised it; none shows the inside of the service.
/// </summary>
public sealed partial class ProblemDetailsTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>A failure of each source: the router, the validators, the parameter binder, the domain, the HTTP method.</summary>
    public static TheoryData<string, string, int, string> Failures => new()
    {
        { "GET", "/api/v1/nothing-here", 404, "resource.not-found" },
        { "GET", "/not-an-api-path", 404, "resource.not-found" },
        { "GET", "/api/v1/agreements?country=XX", 400, "validation.failed" },
        { "GET", "/api/v1/agreements?limit=abc", 400, "request.malformed" },
        { "GET", $"/api/v1/agreements/{Guid.Empty}", 404, "agreement.not-found" },
        { "GET", "/api/v1/partners/no-such-partner", 404, "partner.not-found" },
        { "PATCH", "/api/v1/agreements", 405, "request.method-not-allowed" },
        { "DELETE", "/api/v1/cooperation-scopes", 405, "request.method-not-allowed" },
    };

    [Fact]
    public async Task UnknownRoute_WhenRequested_ShouldReturn404ProblemJsonWithCodeResourceNotFound()
    {
        var problem = await GetProblemAsync("/api/v1/nothing-here", HttpStatusCode.NotFound, "resource.not-found");

        Assert.Equal("urn:linkj:problem:resource.not-found", problem["type"]!.GetValue<string>());
        Assert.Equal("/api/v1/nothing-here", problem["instance"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Problem_WhenAnyFailure_ShouldHaveTypeTitleStatusInstanceTraceIdAndCode(string method, string url, int status, string code)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        var problem = await AssertProblemAsync(response, (HttpStatusCode)status, code);

        Assert.Equal("urn:linkj:problem:" + code, problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]!.GetValue<string>()));
        Assert.Equal(new Uri("http://localhost" + url).AbsolutePath, problem["instance"]!.GetValue<string>());
        Assert.Matches(W3CTraceParent(), problem["traceId"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Problem_WhenAnyFailure_ShouldShowNoStackTraceNorExceptionDetails(string method, string url, int status, string code)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(code, body, StringComparison.Ordinal);
        AssertRevealsNothing(body);
    }

    /// <summary>Problems the service raises itself explain themselves in <c>detail</c>.</summary>
    [Theory]
    [InlineData("/api/v1/agreements?country=XX", 400)]
    [InlineData("/api/v1/agreements?limit=abc", 400)]
    [InlineData("/api/v1/agreements/00000000-0000-0000-0000-000000000000", 404)]
    [InlineData("/api/v1/partners/no-such-partner", 404)]
    public async Task Problem_WhenRaisedByTheService_ShouldHaveADetail(string url, int status)
    {
        var problem = await GetProblemAsync(url, (HttpStatusCode)status);

        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Problem_WhenTwoRequestsFail_ShouldGiveEachItsOwnTraceId()
    {
        var first = await GetProblemAsync("/api/v1/nothing-here", HttpStatusCode.NotFound);
        var second = await GetProblemAsync("/api/v1/nothing-here", HttpStatusCode.NotFound);

        Assert.NotEqual(first["traceId"]!.GetValue<string>(), second["traceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ValidationProblem_WhenReturned_ShouldListErrorsAsArraysOfMessagesByField()
    {
        var problem = await GetProblemAsync("/api/v1/agreements?country=XX&limit=0", HttpStatusCode.BadRequest, "validation.failed");

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["country", "limit"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.All(e.Value!.AsArray(), m => Assert.False(string.IsNullOrWhiteSpace(m!.GetValue<string>()))));
    }

    /// <summary>An unexpected exception becomes a 500 problem that says nothing of the exception.</summary>
    [Fact]
    public async Task Problem_WhenAnUnexpectedExceptionIsThrown_ShouldReturn500ServerUnexpectedWithoutItsMessageOrStackTrace()
    {
        const string Secret = "SECRET-connection-string-Password=hunter2";
        await using var broken = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddScoped<IAppDbContext>(_ => throw new InvalidOperationException(Secret))));
        using var client = broken.CreateClient();

        using var response = await client.GetAsync("/api/v1/cooperation-scopes");
        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "server.unexpected");
        var body = problem.ToJsonString();

        Assert.DoesNotContain("SECRET", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Equal("/api/v1/cooperation-scopes", problem["instance"]!.GetValue<string>());
        AssertRevealsNothing(body);
    }

    private static void AssertRevealsNothing(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("LinkJ.", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.DoesNotContain(problem, p => p.Key.Contains("exception", StringComparison.OrdinalIgnoreCase) || p.Key.Contains("stack", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex W3CTraceParent();
}
