using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Agreements;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Queries;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>
/// A list of closed-set values only is written with its values in the text (ADR 0053): which lists, which values may be
/// written so, and that such a list answers exactly what the same list with its values as parameters answers.
/// </summary>
public sealed class PlannedOnceTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly AgreementCriteria Page = new() { Sort = AgreementSort.SignedOn, Limit = 20 };

    [Fact]
    public void Applies_WhenOnlyCountryKindStatusSortAndLimitAreGiven_ShouldBeTrue()
    {
        Assert.True(PlannedOnce.Applies(Page));
        Assert.True(PlannedOnce.Applies(Page with
        {
            Country = CountryCode.Create("JP"),
            PartnerKind = Domain.Partners.PartnerKind.LocalGovernment,
            Status = Domain.Agreements.AgreementStatus.Active,
            Sort = AgreementSort.NameDescending,
            Limit = 100,
        }));
    }

    [Fact]
    public void Applies_WhenAValueIsNotFromAClosedSet_ShouldBeFalse()
    {
        Assert.False(PlannedOnce.Applies(Page with { Search = SearchTerm.Of("osaka") }));
        Assert.False(PlannedOnce.Applies(Page with { PartnerId = Guid.NewGuid() }));
        Assert.False(PlannedOnce.Applies(Page with { Scope = Slug.Create("mutual-visits") }));
        Assert.False(PlannedOnce.Applies(Page with { SignedFrom = new DateOnly(2020, 1, 1) }));
        Assert.False(PlannedOnce.Applies(Page with { SignedTo = new DateOnly(2020, 12, 31) }));
        Assert.False(PlannedOnce.Applies(Page with { Ending = (new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31)) }));
        Assert.False(PlannedOnce.Applies(Page with { After = new PageKey(12, Day: new DateOnly(2020, 1, 1)) }));
    }

    [Theory]
    [InlineData("JP", "'JP'")]
    [InlineData("local-government", "'local-government'")]
    [InlineData("active", "'active'")]
    public void Literal_WhenTheValueIsLettersDigitsAndHyphens_ShouldQuoteIt(string value, string expected) =>
        Assert.Equal(expected, PlannedOnce.Literal(value));

    [Theory]
    [InlineData("")]
    [InlineData("J'P")]
    [InlineData("JP' OR TRUE --")]
    [InlineData("a b")]
    [InlineData("日本")]
    [InlineData("a\\b")]
    public void Literal_WhenTheValueNeedsEscaping_ShouldRefuseIt(string value) =>
        Assert.Throws<ArgumentException>(() => PlannedOnce.Literal(value));

    [Fact]
    public void Literal_WhenTheValueIsLongerThanAnyCode_ShouldRefuseIt() =>
        Assert.Throws<ArgumentException>(() => PlannedOnce.Literal(new string('a', 65)));

    [Fact]
    public void Literal_WhenTheCountIsGiven_ShouldWriteItInvariantAndRefuseANegativeOne()
    {
        Assert.Equal("21", PlannedOnce.Literal(21));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlannedOnce.Literal(-1));
    }

    /// <summary>
    /// The same filters, once with every value in the text (no other filter) and once with a signing-date bound that
    /// excludes nothing (so every value is a parameter): the same agreements in the same order, in every sort, whole.
    /// </summary>
    [Theory]
    [InlineData("country=JP")]
    [InlineData("country=JP&partnerKind=local-government&status=active")]
    [InlineData("partnerKind=industry-association&sort=-signedOn&limit=3")]
    [InlineData("status=active&sort=name&lang=en&limit=5")]
    [InlineData("country=us&sort=-name")]
    public async Task ListAgreements_WhenItsValuesAreWrittenIntoTheText_ShouldAnswerAsWithParameters(string query)
    {
        var inText = await GetJsonAsync($"/api/v1/agreements?{query}");
        var asParameters = await GetJsonAsync($"/api/v1/agreements?{query}&signedFrom=2000-01-01");

        Assert.NotEmpty(inText.Items());
        Assert.Equal(asParameters["items"]!.ToJsonString(), inText["items"]!.ToJsonString());
        Assert.Equal(asParameters["next"] is null, inText["next"] is null);
    }
}
