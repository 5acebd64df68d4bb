using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Common.Paging;
using static LinkJ.Api.IntegrationTests.Infrastructure.Seeded;

namespace LinkJ.Api.IntegrationTests.Partners;

/// <summary>GET /api/v1/partners: the 13 partners in document order, filters, cursor paging and refused values.</summary>
public sealed class ListPartnersTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task ListPartners_WhenSeeded_ShouldReturnThe13PartnersInDocumentOrder()
    {
        var page = await GetJsonAsync("/api/v1/partners");

        Assert.Equal(InDocumentOrder, page.PartnerSlugs());
        Assert.Equal(13, page.Items().Select(p => p!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Null(page.Next());
    }

    [Fact]
    public async Task ListPartners_WhenSeeded_ShouldMarkExactlyThePartnersOutsideJapanAsOverseas()
    {
        var page = await GetJsonAsync("/api/v1/partners");

        Assert.All(page.Items(), p => Assert.Equal(
            p!["country"]!.GetValue<string>() != "JP",
            p["isOverseas"]!.GetValue<bool>()));
        Assert.Equal(7, page.Items().Count(p => p!["isOverseas"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("JP", "kyoto-research-park kobe-biomedical-innovation-cluster keio-iab kawasaki-city yokohama-city osaka-prefecture")]
    [InlineData("jp", "kyoto-research-park kobe-biomedical-innovation-cluster keio-iab kawasaki-city yokohama-city osaka-prefecture")]
    [InlineData("US", "ucsd biocom ucla")]
    [InlineData("gb", "one-nucleus medcity oxford-university-innovation")]
    [InlineData("FR", "eurobiomed")]
    [InlineData("DE", "")]
    public async Task ListPartners_WhenCountryIsGiven_ShouldReturnThatCountrysPartnersInOrder(string country, string expected)
    {
        var page = await GetJsonAsync($"/api/v1/partners?country={country}");

        Assert.Equal(Slugs(expected), page.PartnerSlugs());
        Assert.All(page.Items(), p => Assert.Equal(country.ToUpperInvariant(), p!["country"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("local-government", "kawasaki-city yokohama-city osaka-prefecture")]
    [InlineData("industry-association", "biocom eurobiomed one-nucleus medcity")]
    [InlineData("university", "ucsd ucla")]
    [InlineData("company", "kyoto-research-park oxford-university-innovation")]
    [InlineData("foundation", "kobe-biomedical-innovation-cluster")]
    [InlineData("research-institute", "keio-iab")]
    [InlineData("other", "")]
    public async Task ListPartners_WhenKindIsGiven_ShouldReturnThatKindsPartnersInOrder(string kind, string expected)
    {
        var page = await GetJsonAsync($"/api/v1/partners?kind={kind}");

        Assert.Equal(Slugs(expected), page.PartnerSlugs());
        Assert.All(page.Items(), p => Assert.Equal(kind, p!["kind"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("country=US&kind=university", "ucsd ucla")]
    [InlineData("country=JP&kind=local-government", "kawasaki-city yokohama-city osaka-prefecture")]
    [InlineData("country=GB&kind=company", "oxford-university-innovation")]
    [InlineData("country=JP&kind=university", "")]
    public async Task ListPartners_WhenCountryAndKindAreGiven_ShouldReturnThePartnersMatchingBoth(string query, string expected)
    {
        var page = await GetJsonAsync($"/api/v1/partners?{query}");

        Assert.Equal(Slugs(expected), page.PartnerSlugs());
    }

    [Fact]
    public async Task ListPartners_WhenLimitIs5_ShouldWalkThreePagesAndReturnAll13ExactlyOnceInOrder()
    {
        var (items, pageSizes) = await Paging.WalkAsync(GetJsonAsync, "/api/v1/partners?limit=5");

        Assert.Equal([5, 5, 3], pageSizes);
        Assert.Equal(InDocumentOrder, items.Select(p => p["slug"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListPartners_WhenWalkingAFilteredList_ShouldKeepTheFilterOnEveryPage()
    {
        var (items, pageSizes) = await Paging.WalkAsync(GetJsonAsync, "/api/v1/partners?country=JP&limit=4");

        Assert.Equal([4, 2], pageSizes);
        Assert.Equal([KyotoResearchPark, Kobe, Keio, Kawasaki, Yokohama, Osaka], items.Select(p => p["slug"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListPartners_WhenThereIsANextPage_ShouldSendALinkHeaderWithTheCursorAndTheOtherQueryParameters()
    {
        using var response = await Client.GetAsync("/api/v1/partners?kind=industry-association&limit=3");
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var link = response.NextLink();

        Assert.NotNull(link);
        Assert.StartsWith("/api/v1/partners?", link);
        var query = Paging.QueryOf(link);
        Assert.Equal(page.Next(), query["cursor"].ToString());
        Assert.Equal("industry-association", query["kind"].ToString());
        Assert.Equal("3", query["limit"].ToString());

        var second = await GetJsonAsync(link);
        Assert.Equal([MedCity], second.PartnerSlugs());
    }

    [Fact]
    public async Task ListPartners_WhenOnTheLastPage_ShouldHaveNullNextAndNoLinkHeader()
    {
        var first = await GetJsonAsync("/api/v1/partners?limit=12");
        using var last = await Client.GetAsync($"/api/v1/partners?limit=12&cursor={Uri.EscapeDataString(first.Next()!)}");
        var lastPage = JsonNode.Parse(await last.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal([Osaka], lastPage.PartnerSlugs());
        Assert.Null(lastPage.Next());
        Assert.False(last.Headers.Contains("Link"));
    }

    [Fact]
    public async Task ListPartners_WhenTheCursorComesFromTheAgreementsList_ShouldReturn400WithACursorError()
    {
        var agreements = await GetJsonAsync("/api/v1/agreements?limit=5");

        var problem = await GetProblemAsync(
            $"/api/v1/partners?cursor={Uri.EscapeDataString(agreements.Next()!)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["cursor"], problem.ErrorFields());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task ListPartners_WhenTheCursorIsTampered_ShouldReturn400WithACursorError(int index)
    {
        var first = await GetJsonAsync("/api/v1/partners?limit=5");

        var problem = await GetProblemAsync(
            $"/api/v1/partners?limit=5&cursor={Uri.EscapeDataString(Paging.Flip(first.Next()!, index))}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["cursor"], problem.ErrorFields());
    }

    /// <summary>The checksum is unkeyed, so a client can compute one; ListPartnersHandler then long.Parses the key and throws (500).</summary>
    [Fact]
    public async Task ListPartners_WhenTheCursorHasAValidChecksumButAnUnreadableKey_ShouldReturn400WithACursorError()
    {
        var forged = Cursor.Encode("partners", "abc");

        var problem = await GetProblemAsync($"/api/v1/partners?cursor={Uri.EscapeDataString(forged)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["cursor"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("country=XX", "country")]
    [InlineData("country=JPN", "country")]
    [InlineData("kind=alien", "kind")]
    [InlineData("kind=Local-Government", "kind")]
    [InlineData("kind=local_government", "kind")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    public async Task ListPartners_WhenAValueIsInvalid_ShouldReturn400ProblemWithAnErrorForThatField(string query, string field)
    {
        var problem = await GetProblemAsync($"/api/v1/partners?{query}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal([field], problem.ErrorFields());
        Assert.Equal("/api/v1/partners", problem["instance"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListPartners_WhenLimitIsNotAnInteger_ShouldReturn400MalformedRequestWithALimitError()
    {
        var problem = await GetProblemAsync("/api/v1/partners?limit=ten", HttpStatusCode.BadRequest, "request.malformed");

        Assert.Equal(["limit"], problem.ErrorFields());
    }

    [Fact]
    public async Task ListPartners_WhenSeveralValuesAreInvalid_ShouldListEveryBadField()
    {
        var problem = await GetProblemAsync("/api/v1/partners?country=XX&kind=alien&limit=0&cursor=garbage", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["country", "cursor", "kind", "limit"], problem.ErrorFields());
    }
}
