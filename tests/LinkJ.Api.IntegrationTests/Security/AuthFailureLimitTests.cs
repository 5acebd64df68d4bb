using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace LinkJ.Api.IntegrationTests.Security;

/// <summary>Repeated invalid API keys from one address are refused with 429 before any key is checked; others are not affected.</summary>
public sealed class AuthFailureLimitTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task Write_WhenOneAddressSendsTooManyInvalidKeys_ShouldGet429ProblemEvenWithAValidKeyUntilTheWindowEnds()
    {
        using var limited = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("RateLimits:FailedAuthPerMinute", "3")
            .ComingFrom("198.51.100.7"));
        using var client = limited.CreateClient();
        var valid = await CreateKeyAsync("agreements:write");

        for (var i = 0; i < 3; i++)
        {
            using var guess = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", $"lj_0000000{i}_{new string('0', 64)}", new { }));
            await AssertProblemAsync(guess, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }

        using var refused = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", $"lj_00000009_{new string('0', 64)}", new { }));
        using var refusedEvenValid = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", valid, new { }));
        using var anonymousRead = await client.GetAsync("/api/v1/stats");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "auth.too-many-failures");
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        await AssertProblemAsync(refusedEvenValid, HttpStatusCode.TooManyRequests, "auth.too-many-failures");
        Assert.Equal(HttpStatusCode.OK, anonymousRead.StatusCode); // reads without a key go on
    }

    [Fact]
    public async Task Write_WhenAnotherAddressSpentItsFailures_ShouldStillAcceptAValidKey()
    {
        using var attacker = Factory.WithWebHostBuilder(builder => builder.UseSetting("RateLimits:FailedAuthPerMinute", "1").ComingFrom("198.51.100.8"));
        using var attackerClient = attacker.CreateClient();
        var valid = await CreateKeyAsync("agreements:write");
        using var guess = await attackerClient.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", "lj_bad", new { }));

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", valid, new { }));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation.failed");
    }
}
