using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Agreements;

/// <summary>GET /api/v1/agreements with values it must refuse: a 400 problem that names each bad field under <c>errors</c>.</summary>
public sealed class ListAgreementsValidationTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("signedFrom=2020-13", "signedFrom")]
    [InlineData("signedFrom=2020-02-30", "signedFrom")]
    [InlineData("signedFrom=2021-02-29", "signedFrom")]
    [InlineData("signedFrom=2020-1-5", "signedFrom")]
    [InlineData("signedFrom=2020/01", "signedFrom")]
    [InlineData("signedFrom=2020", "signedFrom")]
    [InlineData("signedTo=9999-99", "signedTo")]
    [InlineData("signedTo=0202-01", "signedTo")]
    [InlineData("signedTo=2020-01-01T00:00", "signedTo")]
    [InlineData("country=XX1", "country")]
    [InlineData("country=XX", "country")]
    [InlineData("country=JPN", "country")]
    [InlineData("country=J", "country")]
    [InlineData("country=", "country")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("partnerKind=alien", "partnerKind")]
    [InlineData("partnerKind=LocalGovernment", "partnerKind")]
    [InlineData("partnerKind=3", "partnerKind")]
    [InlineData("status=Active", "status")]
    [InlineData("status=ACTIVE", "status")]
    [InlineData("status=1", "status")]
    [InlineData("scope=Not_A_Code", "scope")]
    [InlineData("scope=event--cooperation", "scope")]
    [InlineData("scope=-event", "scope")]
    [InlineData("scope=", "scope")]
    public async Task ListAgreements_WhenAValueIsInvalid_ShouldReturn400ProblemWithAnErrorForThatFieldOnly(string query, string field)
    {
        var problem = await GetProblemAsync($"/api/v1/agreements?{query}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal([field], problem.ErrorFields());
        var messages = problem["errors"]![field]!.AsArray();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m!.GetValue<string>())));
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Equal("/api/v1/agreements", problem["instance"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=1.5")]
    [InlineData("limit=99999999999")]
    public async Task ListAgreements_WhenLimitIsNotAnInteger_ShouldReturn400MalformedRequestWithALimitError(string query)
    {
        var problem = await GetProblemAsync($"/api/v1/agreements?{query}", HttpStatusCode.BadRequest, "request.malformed");

        Assert.Equal(["limit"], problem.ErrorFields());
        Assert.Equal("urn:linkj:problem:request.malformed", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListAgreements_WhenLimitIsNotAnInteger_ShouldNotNameDotNetTypesInTheProblem()
    {
        using var response = await Client.GetAsync("/api/v1/agreements?limit=abc");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Int32", body, StringComparison.Ordinal);
        Assert.DoesNotContain("int?", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("signedFrom=2020-01&signedTo=2019-12")]
    [InlineData("signedFrom=2020-01-02&signedTo=2020-01-01")]
    [InlineData("signedFrom=2020-02&signedTo=2020-01-31")]
    [InlineData("signedFrom=2020-02-01&signedTo=2020-01")]
    public async Task ListAgreements_WhenSignedFromIsAfterSignedTo_ShouldReturn400WithAnErrorOnSignedTo(string query)
    {
        var problem = await GetProblemAsync($"/api/v1/agreements?{query}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["signedTo"], problem.ErrorFields());
    }

    /// <summary>A day inside a month-long period is not "after" it: 2020-01-15 to 2020-01 (the month's end) is a valid period.</summary>
    [Theory]
    [InlineData("signedFrom=2020-01-15&signedTo=2020-01")]
    [InlineData("signedFrom=2020-01&signedTo=2020-01-01")]
    [InlineData("signedFrom=2020-01-01&signedTo=2020-01-01")]
    public async Task ListAgreements_WhenSignedFromAndSignedToOverlapWithinAMonth_ShouldAcceptThePeriod(string query)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?{query}");

        Assert.Empty(page.Items());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task ListAgreements_WhenLimitIsAtItsBounds_ShouldAcceptIt(int limit)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?limit={limit}");

        Assert.Equal(Math.Min(limit, 13), page.Items().Count);
    }

    [Fact]
    public async Task ListAgreements_WhenSeveralValuesAreInvalid_ShouldListEveryBadFieldInOneProblem()
    {
        var problem = await GetProblemAsync(
            "/api/v1/agreements?country=XX&partnerKind=alien&scope=Not_A_Code&status=Active&signedFrom=2020-13&signedTo=9999-99&limit=0&cursor=garbage",
            HttpStatusCode.BadRequest,
            "validation.failed");

        Assert.Equal(
            ["country", "cursor", "limit", "partnerKind", "scope", "signedFrom", "signedTo", "status"],
            problem.ErrorFields());
    }

    [Fact]
    public async Task ListAgreements_WhenTheDatesAreValidButReversedAmongOtherErrors_ShouldReportTheRangeToo()
    {
        var problem = await GetProblemAsync(
            "/api/v1/agreements?signedFrom=2020-05&signedTo=2020-04&country=XX",
            HttpStatusCode.BadRequest,
            "validation.failed");

        Assert.Equal(["country", "signedTo"], problem.ErrorFields());
    }
}
