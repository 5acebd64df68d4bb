using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using static LinkJ.Api.IntegrationTests.Infrastructure.Seeded;

namespace LinkJ.Api.IntegrationTests.Partners;

/// <summary>GET /api/v1/partners/{idOrSlug}: one partner by slug or by id, or a 404 problem.</summary>
public sealed class GetPartnerTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task GetPartner_WhenBySlug_ShouldReturnThePartner()
    {
        var osaka = await GetJsonAsync($"/api/v1/partners/{Osaka}");

        Assert.Equal(Osaka, osaka["slug"]!.GetValue<string>());
        Assert.Equal("大阪府", osaka["name"]!["ja"]!.GetValue<string>());
        Assert.Equal("local-government", osaka["kind"]!.GetValue<string>());
        Assert.Equal("JP", osaka["country"]!.GetValue<string>());
        Assert.False(osaka["isOverseas"]!.GetValue<bool>());
        Assert.Equal("関西圏", osaka["region"]!["ja"]!.GetValue<string>());
        Assert.True(Guid.TryParse(osaka["id"]!.GetValue<string>(), out _));
    }

    [Fact]
    public async Task GetPartner_WhenBySlugAndById_ShouldReturnTheSamePartner()
    {
        foreach (var slug in InDocumentOrder)
        {
            var bySlug = await GetJsonAsync($"/api/v1/partners/{slug}");
            var byId = await GetJsonAsync($"/api/v1/partners/{bySlug["id"]!.GetValue<string>()}");

            Assert.True(JsonNode.DeepEquals(bySlug, byId), $"{slug}: by slug and by id differ:\n{bySlug.ToJsonString()}\n{byId.ToJsonString()}");
        }
    }

    [Fact]
    public async Task GetPartner_WhenBySlug_ShouldEqualTheListItem()
    {
        var list = await GetJsonAsync("/api/v1/partners?country=GB");

        foreach (var item in list.Items())
        {
            var one = await GetJsonAsync($"/api/v1/partners/{item!["slug"]!.GetValue<string>()}");
            Assert.True(JsonNode.DeepEquals(item, one), $"the list item and GET differ:\n{item.ToJsonString()}\n{one.ToJsonString()}");
        }

        Assert.Equal(3, list.Items().Count);
    }

    [Fact]
    public async Task GetPartner_WhenTheSlugIsUnknown_ShouldReturn404PartnerNotFound()
    {
        var problem = await GetProblemAsync("/api/v1/partners/hokkaido-prefecture", HttpStatusCode.NotFound, "partner.not-found");

        Assert.Equal("/api/v1/partners/hokkaido-prefecture", problem["instance"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetPartner_WhenTheGuidIsUnknown_ShouldReturn404PartnerNotFound()
    {
        await GetProblemAsync($"/api/v1/partners/{Guid.NewGuid()}", HttpStatusCode.NotFound, "partner.not-found");
    }

    /// <summary>Not a slug and not an id cannot name a partner: 404 like any unknown partner, not a 400 or a 500.</summary>
    [Theory]
    [InlineData("Osaka%20Prefecture")]
    [InlineData("OSAKA-PREFECTURE")]
    [InlineData("osaka--prefecture")]
    [InlineData("osaka-prefecture-")]
    [InlineData("%E5%A4%A7%E9%98%AA%E5%BA%9C")] // 大阪府
    [InlineData("osaka-prefecture%0A")]
    public async Task GetPartner_WhenTheSlugIsNotAValidSlug_ShouldReturn404PartnerNotFound(string idOrSlug)
    {
        var problem = await GetProblemAsync($"/api/v1/partners/{idOrSlug}", HttpStatusCode.NotFound, "partner.not-found");

        Assert.Null(problem["errors"]);
    }

    [Fact]
    public async Task GetPartner_WhenTheSlugIsLongerThanASlugCanBe_ShouldReturn404PartnerNotFound()
    {
        await GetProblemAsync($"/api/v1/partners/{new string('a', 81)}", HttpStatusCode.NotFound, "partner.not-found");
    }

    [Fact]
    public async Task GetPartner_WhenAnAgreementsIdIsUsedAsThePartnersId_ShouldReturn404()
    {
        var agreements = await GetJsonAsync($"/api/v1/partners/{Osaka}/agreements");
        var agreementId = agreements.Items()[0]!["id"]!.GetValue<string>();

        await GetProblemAsync($"/api/v1/partners/{agreementId}", HttpStatusCode.NotFound, "partner.not-found");
    }
}
