using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using static LinkJ.Api.IntegrationTests.Infrastructure.Seeded;

namespace LinkJ.Api.IntegrationTests.Agreements;

/// <summary>GET /api/v1/agreements/{id}: one agreement, the same as in the list, or a 404 problem.</summary>
public sealed class GetAgreementTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task GetAgreement_WhenTheIdIsAnUnknownGuid_ShouldReturn404AgreementNotFound()
    {
        var id = Guid.NewGuid();

        var problem = await GetProblemAsync($"/api/v1/agreements/{id}", HttpStatusCode.NotFound, "agreement.not-found");

        Assert.Equal($"/api/v1/agreements/{id}", problem["instance"]!.GetValue<string>());
        Assert.Equal("urn:linkj:problem:agreement.not-found", problem["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("12345")]
    [InlineData("osaka-prefecture")]
    [InlineData("00000000-0000-0000-0000-00000000000")] // one digit short
    public async Task GetAgreement_WhenTheIdIsNotAGuid_ShouldReturn404AgreementNotFound(string id)
    {
        var problem = await GetProblemAsync($"/api/v1/agreements/{id}", HttpStatusCode.NotFound, "agreement.not-found");

        Assert.Null(problem["errors"]);
    }

    [Fact]
    public async Task GetAgreement_WhenThePartnersIdIsUsedAsAnAgreementId_ShouldReturn404()
    {
        var partner = await GetJsonAsync($"/api/v1/partners/{Osaka}");

        await GetProblemAsync($"/api/v1/agreements/{partner["id"]!.GetValue<string>()}", HttpStatusCode.NotFound, "agreement.not-found");
    }

    [Fact]
    public async Task GetAgreement_WhenKnown_ShouldIncludeThePartnersSummaryAndOnlyTheSummary()
    {
        var osaka = await GetJsonAsync($"/api/v1/agreements/{await AgreementIdOfAsync(Osaka)}");

        var partner = osaka["partner"]!.AsObject();
        var fullPartner = await GetJsonAsync($"/api/v1/partners/{Osaka}");
        Assert.Equal(fullPartner["id"]!.GetValue<string>(), partner["id"]!.GetValue<string>());
        Assert.Equal(Osaka, partner["slug"]!.GetValue<string>());
        Assert.Equal("大阪府", partner["name"]!["ja"]!.GetValue<string>());
        Assert.Equal("Osaka Prefecture", partner["name"]!["en"]!.GetValue<string>());
        Assert.Equal("local-government", partner["kind"]!.GetValue<string>());
        Assert.Equal("JP", partner["country"]!.GetValue<string>());
        Assert.Equal(
            ["country", "displayName", "id", "kind", "name", "shortName", "slug"],
            partner.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetAgreement_WhenKnown_ShouldEqualTheListItemWithTheSameId()
    {
        var list = await GetJsonAsync("/api/v1/agreements?limit=100");
        Assert.Equal(13, list.Items().Count);

        foreach (var item in list.Items())
        {
            var one = await GetJsonAsync($"/api/v1/agreements/{item!["id"]!.GetValue<string>()}");
            Assert.True(JsonNode.DeepEquals(item, one), $"GET by id differs from the list item:\n{item.ToJsonString()}\n{one.ToJsonString()}");
        }
    }

    [Fact]
    public async Task GetAgreement_WhenTheIdIsInUpperCase_ShouldReturnTheSameAgreement()
    {
        var id = await AgreementIdOfAsync(Ucla);

        var agreement = await GetJsonAsync($"/api/v1/agreements/{id.ToUpperInvariant()}");

        Assert.Equal(id, agreement["id"]!.GetValue<string>());
        Assert.Equal(Ucla, agreement["partner"]!["slug"]!.GetValue<string>());
    }

    private async Task<string> AgreementIdOfAsync(string partnerSlug)
    {
        var page = await GetJsonAsync($"/api/v1/partners/{partnerSlug}/agreements");
        return Assert.Single(page.Items())!["id"]!.GetValue<string>();
    }
}
