using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Common.Paging;
using static LinkJ.Api.IntegrationTests.Infrastructure.Seeded;

namespace LinkJ.Api.IntegrationTests.Agreements;

/// <summary>GET /api/v1/agreements a page at a time: the <c>next</c> cursor, the <c>Link</c> header, and cursors that must be refused.</summary>
public sealed class ListAgreementsPagingTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task ListAgreements_WhenLimitIs5_ShouldWalkThreePagesAndReturnAll13ExactlyOnceInOrder()
    {
        var (items, pageSizes) = await Paging.WalkAsync(GetJsonAsync, "/api/v1/agreements?limit=5");

        Assert.Equal([5, 5, 3], pageSizes);
        Assert.Equal(InDocumentOrder, items.Select(a => a["partner"]!["slug"]!.GetValue<string>()));
        Assert.Equal(13, items.Select(a => a["id"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task ListAgreements_WhenNoLimitIsGiven_ShouldReturnAll13OnOnePage()
    {
        var page = await GetJsonAsync("/api/v1/agreements");

        Assert.Equal(InDocumentOrder, page.AgreementPartnerSlugs());
        Assert.Null(page.Next());
    }

    [Fact]
    public async Task ListAgreements_WhenLimitIs1_ShouldWalk13PagesInOrder()
    {
        var (items, pageSizes) = await Paging.WalkAsync(GetJsonAsync, "/api/v1/agreements?limit=1");

        Assert.Equal(Enumerable.Repeat(1, 13), pageSizes);
        Assert.Equal(InDocumentOrder, items.Select(a => a["partner"]!["slug"]!.GetValue<string>()));
    }

    /// <summary>UCSD and BIOCOM are both dated 2016-05: a page boundary between them must keep the source's order.</summary>
    [Fact]
    public async Task ListAgreements_WhenAPageEndsBetweenTwoAgreementsOfTheSameMonth_ShouldContinueWithTheSecond()
    {
        var first = await GetJsonAsync("/api/v1/agreements?limit=1");
        var second = await GetJsonAsync($"/api/v1/agreements?limit=1&cursor={Uri.EscapeDataString(first.Next()!)}");

        Assert.Equal([Ucsd], first.AgreementPartnerSlugs());
        Assert.Equal([Biocom], second.AgreementPartnerSlugs());
    }

    [Fact]
    public async Task ListAgreements_WhenWalkingAFilteredList_ShouldKeepTheFilterOnEveryPage()
    {
        var (items, pageSizes) = await Paging.WalkAsync(GetJsonAsync, "/api/v1/agreements?country=JP&limit=4");

        Assert.Equal([4, 2], pageSizes);
        Assert.Equal([KyotoResearchPark, Kobe, Keio, Kawasaki, Yokohama, Osaka], items.Select(a => a["partner"]!["slug"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListAgreements_WhenThereIsANextPage_ShouldSendALinkHeaderWithRelNextTheCursorAndTheOtherQueryParameters()
    {
        using var response = await Client.GetAsync("/api/v1/agreements?country=JP&limit=2&status=active");
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var link = response.NextLink();

        Assert.NotNull(link);
        Assert.StartsWith("/api/v1/agreements?", link);
        var query = Paging.QueryOf(link);
        Assert.Equal(page.Next(), query["cursor"].ToString());
        Assert.Equal("JP", query["country"].ToString());
        Assert.Equal("2", query["limit"].ToString());
        Assert.Equal("active", query["status"].ToString());
        Assert.Equal(4, query.Count);
    }

    [Fact]
    public async Task ListAgreements_WhenFollowingTheLinkHeader_ShouldReturnTheNextPageAndReplaceTheCursorRatherThanRepeatIt()
    {
        using var first = await Client.GetAsync("/api/v1/agreements?country=JP&limit=2");
        var secondUrl = first.NextLink()!;

        using var second = await Client.GetAsync(secondUrl);
        var secondPage = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([Keio, Kawasaki], secondPage.AgreementPartnerSlugs());
        var thirdQuery = Paging.QueryOf(second.NextLink()!);
        Assert.Equal(secondPage.Next(), Assert.Single(thirdQuery["cursor"]));
        Assert.NotEqual(Paging.QueryOf(secondUrl)["cursor"].ToString(), thirdQuery["cursor"].ToString());
    }

    [Fact]
    public async Task ListAgreements_WhenOnTheLastPage_ShouldHaveNullNextAndNoLinkHeader()
    {
        var first = await GetJsonAsync("/api/v1/agreements?limit=10");
        using var last = await Client.GetAsync($"/api/v1/agreements?limit=10&cursor={Uri.EscapeDataString(first.Next()!)}");
        var lastPage = JsonNode.Parse(await last.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal([Yokohama, Oxford, Osaka], lastPage.AgreementPartnerSlugs());
        Assert.Null(lastPage.Next());
        Assert.False(last.Headers.Contains("Link"));
    }

    [Fact]
    public async Task ListAgreements_WhenEverythingFitsOnePage_ShouldSendNoLinkHeader()
    {
        using var response = await Client.GetAsync("/api/v1/agreements?limit=13");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task ListAgreements_WhenTheCursorComesFromThePartnersList_ShouldReturn400WithACursorError()
    {
        var partners = await GetJsonAsync("/api/v1/partners?limit=5");

        var problem = await GetProblemAsync(
            $"/api/v1/agreements?limit=5&cursor={Uri.EscapeDataString(partners.Next()!)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["cursor"], problem.ErrorFields());
    }

    [Theory]
    [InlineData(0)] // first character of the payload
    [InlineData(10)] // inside the payload
    [InlineData(-1)] // last character of the checksum
    public async Task ListAgreements_WhenTheCursorIsTampered_ShouldReturn400ProblemWithACursorError(int index)
    {
        var first = await GetJsonAsync("/api/v1/agreements?limit=5");
        var tampered = Paging.Flip(first.Next()!, index);

        var problem = await GetProblemAsync($"/api/v1/agreements?limit=5&cursor={Uri.EscapeDataString(tampered)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["cursor"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b")]
    [InlineData(".")]
    [InlineData("YWdyZWVtZW50c3wyMDE3LTEyLTAxfDU")] // a payload without its checksum
    public async Task ListAgreements_WhenTheCursorIsNotOneTheServiceIssued_ShouldReturn400WithACursorError(string cursor)
    {
        var problem = await GetProblemAsync($"/api/v1/agreements?cursor={Uri.EscapeDataString(cursor)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["cursor"], problem.ErrorFields());
    }

    /// <summary>
    /// The cursor's checksum is an unkeyed SHA-256, so anyone can compute one for keys of their choosing. The validator
    /// only checks the checksum, the kind and the number of keys; the handler then parses the keys with ParseExact and
    /// long.Parse, which throw on such a cursor: a 500 instead of the 400 a bad cursor gets.
    /// </summary>
    [Theory]
    [InlineData("not-a-date", "1")]
    [InlineData("2018-01-01", "x")]
    [InlineData("2018-01-01", "99999999999999999999")]
    public async Task ListAgreements_WhenTheCursorHasAValidChecksumButUnreadableKeys_ShouldReturn400WithACursorError(string date, string sequence)
    {
        var forged = Cursor.Encode("agreements", date, sequence);

        var problem = await GetProblemAsync($"/api/v1/agreements?cursor={Uri.EscapeDataString(forged)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["cursor"], problem.ErrorFields());
    }
}
