using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using static LinkJ.Api.IntegrationTests.Infrastructure.Seeded;

namespace LinkJ.Api.IntegrationTests.Partners;

/// <summary>GET /api/v1/partners/{idOrSlug}/agreements: one partner's agreements, or a 404 when there is no such partner.</summary>
public sealed class ListPartnerAgreementsTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task ListPartnerAgreements_WhenEachSeededPartner_ShouldReturnItsOneAgreementWithItsOwnSummary()
    {
        foreach (var slug in InDocumentOrder)
        {
            var page = await GetJsonAsync($"/api/v1/partners/{slug}/agreements");

            var agreement = Assert.Single(page.Items())!;
            Assert.Equal(slug, agreement["partner"]!["slug"]!.GetValue<string>());
            Assert.Null(page.Next());
        }
    }

    [Fact]
    public async Task ListPartnerAgreements_WhenBySlugAndById_ShouldReturnTheSamePage()
    {
        var partner = await GetJsonAsync($"/api/v1/partners/{Yokohama}");

        var bySlug = await GetJsonAsync($"/api/v1/partners/{Yokohama}/agreements");
        var byId = await GetJsonAsync($"/api/v1/partners/{partner["id"]!.GetValue<string>()}/agreements");

        Assert.True(JsonNode.DeepEquals(bySlug, byId));
        Assert.Equal(partner["id"]!.GetValue<string>(), bySlug.Items()[0]!["partner"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListPartnerAgreements_WhenKnown_ShouldEqualTheAgreementsListItem()
    {
        var all = await GetJsonAsync("/api/v1/agreements?partnerKind=local-government");
        var kawasaki = all.Items().Single(a => a!["partner"]!["slug"]!.GetValue<string>() == Kawasaki)!;

        var page = await GetJsonAsync($"/api/v1/partners/{Kawasaki}/agreements");

        Assert.True(JsonNode.DeepEquals(kawasaki, page.Items()[0]));
    }

    [Theory]
    [InlineData("ucla", "expired", 1)]
    [InlineData("ucla", "active", 0)]
    [InlineData("osaka-prefecture", "active", 1)]
    [InlineData("osaka-prefecture", "expired", 0)]
    public async Task ListPartnerAgreements_WhenStatusIsGiven_ShouldReturnOnlyAgreementsWithThatStatus(string slug, string status, int expected)
    {
        var page = await GetJsonAsync($"/api/v1/partners/{slug}/agreements?status={status}");

        Assert.Equal(expected, page.Items().Count);
    }

    [Theory]
    [InlineData("hokkaido-prefecture")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("Osaka%20Prefecture")]
    public async Task ListPartnerAgreements_WhenThePartnerIsUnknown_ShouldReturn404PartnerNotFound(string idOrSlug)
    {
        var problem = await GetProblemAsync($"/api/v1/partners/{idOrSlug}/agreements", HttpStatusCode.NotFound, "partner.not-found");

        Assert.Equal($"/api/v1/partners/{idOrSlug}/agreements", problem["instance"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListPartnerAgreements_WhenThePartnerIsUnknownAndAFilterMatchesNothing_ShouldStillReturn404RatherThanAnEmptyPage()
    {
        await GetProblemAsync("/api/v1/partners/hokkaido-prefecture/agreements?status=terminated", HttpStatusCode.NotFound, "partner.not-found");
    }

    [Theory]
    [InlineData("status=Active", "status")]
    [InlineData("status=gone", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    public async Task ListPartnerAgreements_WhenAValueIsInvalid_ShouldReturn400ProblemWithAnErrorForThatField(string query, string field)
    {
        var problem = await GetProblemAsync($"/api/v1/partners/{Osaka}/agreements?{query}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal([field], problem.ErrorFields());
    }
}
