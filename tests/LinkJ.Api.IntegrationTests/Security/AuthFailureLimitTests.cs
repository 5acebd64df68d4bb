using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Security;

/// <summary>
/// Repeated invalid API keys of one prefix from one address are refused with 429 before any key is checked; other
/// prefixes from the same address (colleagues behind one NAT) and other addresses are not affected; the budget is shared
/// by the replicas.
/// </summary>
public sealed class AuthFailureLimitTests(ApiFactory factory) : WriteTest(factory)
{
    private static string BadKey(string prefix, int attempt) => $"lj_{prefix}_{attempt.ToString("x64", System.Globalization.CultureInfo.InvariantCulture)}";

    [Fact]
    public async Task Write_WhenOneAddressSendsTooManyInvalidKeysOfAPrefix_ShouldGet429ForThatPrefixUntilTheWindowEnds()
    {
        await Factory.ResetRateLimitsAsync();
        using var limited = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("RateLimits:FailedAuthPerMinute", "3")
            .ComingFrom("198.51.100.7"));
        using var client = limited.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var guess = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", BadKey("0badbad0", i), new { }));
            await AssertProblemAsync(guess, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }

        using var refused = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", BadKey("0badbad0", 9), new { }));
        using var anonymousRead = await client.GetAsync("/api/v1/stats");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "auth.too-many-failures");
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, anonymousRead.StatusCode); // reads without a key go on
    }

    [Fact]
    public async Task Write_WhenSomeoneBehindTheSameAddressSpentTheFailuresOfAnotherPrefix_ShouldStillAcceptAValidKey()
    {
        await Factory.ResetRateLimitsAsync();
        using var office = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("RateLimits:FailedAuthPerMinute", "3")
            .ComingFrom("198.51.100.20"));
        using var client = office.CreateClient();
        var valid = await CreateKeyAsync("agreements:write");

        for (var i = 0; i < 5; i++)
        {
            using var guess = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", BadKey("0badbad1", i), new { }));
        }

        using var malformed = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", "lj_bad", new { }));
        using var colleague = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", valid, new { }));

        await AssertProblemAsync(colleague, HttpStatusCode.BadRequest, "validation.failed"); // authenticated: the empty body is what is wrong
    }

    [Fact]
    public async Task Write_WhenAnotherAddressSpentItsFailures_ShouldStillAcceptAValidKey()
    {
        await Factory.ResetRateLimitsAsync();
        using var attacker = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:FailedAuthPerMinute", "1").ComingFrom("198.51.100.8"));
        using var attackerClient = attacker.CreateClient();
        var valid = await CreateKeyAsync("agreements:write");
        using var guess = await attackerClient.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", "lj_bad", new { }));

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", valid, new { }));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation.failed");
    }

    [Fact]
    public async Task Write_WhenAClientSpentItsFailuresOnOneReplica_ShouldBeRefusedByAnotherAfterItsFirstFailure()
    {
        await Factory.ResetRateLimitsAsync();
        using var replicaA = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:FailedAuthPerMinute", "3").ComingFrom("198.51.100.30"));
        using var replicaB = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:FailedAuthPerMinute", "3").ComingFrom("198.51.100.30"));
        using var clientA = replicaA.CreateClient();
        using var clientB = replicaB.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var guess = await clientA.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", BadKey("0badbad2", i), new { }));
            await AssertProblemAsync(guess, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }

        await replicaA.Services.GetRequiredService<RateLimitCounters>().FlushAsync(CancellationToken.None);

        // B learns the shared total with its first failure of the window: 4 > 3, so its next attempt is refused (a
        // budget per replica would have let B check three more keys).
        using var first = await clientB.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", BadKey("0badbad2", 3), new { }));
        using var second = await clientB.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", BadKey("0badbad2", 4), new { }));

        await AssertProblemAsync(first, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await AssertProblemAsync(second, HttpStatusCode.TooManyRequests, "auth.too-many-failures");
    }
}
