using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Errors;

/// <summary>A problem is application/problem+json whatever the client's Accept says: an error nobody can read helps no one.</summary>
public sealed class ProblemFormatTests(ApiFactory factory) : WriteTest(factory)
{
    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/csv")]
    [InlineData("image/png")]
    public async Task Problem_WhenTheClientAcceptsNoJson_ShouldStillBeProblemJsonWithABody(string accept)
    {
        var key = await CreateKeyAsync("partners:write");
        using var notFound = new HttpRequestMessage(HttpMethod.Get, "/api/v1/partners/no-such-partner");
        notFound.Headers.TryAddWithoutValidation("Accept", accept);
        using var conflict = Request(HttpMethod.Delete, $"/api/v1/partners/{OsakaPartnerSlug}", key, ifMatch: "\"v1\"");
        conflict.Headers.TryAddWithoutValidation("Accept", accept);
        using var unauthorized = Request(HttpMethod.Post, "/api/v1/partners", key: null, body: new { });
        unauthorized.Headers.TryAddWithoutValidation("Accept", accept);

        await AssertProblemAsync(await Client.SendAsync(notFound), HttpStatusCode.NotFound, "partner.not-found");
        await AssertProblemAsync(await Client.SendAsync(conflict), HttpStatusCode.Conflict);
        await AssertProblemAsync(await Client.SendAsync(unauthorized), HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }
}
