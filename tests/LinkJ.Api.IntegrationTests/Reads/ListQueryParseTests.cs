using FluentValidation;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Changes.Queries.ListChanges;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Partners;
using LinkJ.Application.Partners.Queries.ListPartners;
using LinkJ.Application.Webhooks;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>
/// ADR 0050: a list's query parameters are checked and parsed into domain values in one pass, at the edge
/// (<see cref="ListAgreementsQuery.Parse"/>, <see cref="ListPartnersQuery.Parse"/>, <see cref="ListChangesQuery.Parse"/>);
/// a value that does not parse is a 400 failure on its field, with the message the service has always given. No
/// database, no HTTP (the lists' integration tests hold the 400s' wire form).
/// </summary>
public sealed class ListQueryParseTests
{
    [Fact]
    public void Parse_WhenTheAgreementFiltersAreValid_ShouldGiveTheirDomainValues()
    {
        var query = ListAgreementsQuery.Parse(new(
            Country: "jp", PartnerKind: "local-government", Scope: "publication-exchange", Status: "active", SignedFrom: "2018-04",
            SignedTo: "2020-12-31", Limit: 50, Q: "大阪", Year: 2019, Sort: "-name", ExpiringWithin: "P3M"));

        Assert.Equal(CountryCode.Create("JP"), query.Country);
        Assert.Equal(PartnerKind.LocalGovernment, query.PartnerKind);
        Assert.Equal("publication-exchange", query.Scope?.Value);
        Assert.Equal(AgreementStatus.Active, query.Status);
        Assert.Equal(PartialDate.InMonth(2018, 4), query.SignedFrom);
        Assert.Equal(new DateOnly(2020, 12, 31), query.SignedTo?.Latest);
        Assert.Equal(2019, query.Year);
        Assert.Equal(new CalendarPeriod(0, 3, 0), query.ExpiringWithin);
        Assert.Equal(AgreementSort.NameDescending, query.Sort);
        Assert.Equal(50, query.Limit);
        Assert.Equal("大阪", query.Q?.Text);
        Assert.Null(query.After);
    }

    [Fact]
    public void Parse_WhenNothingIsGiven_ShouldGiveTheDefaults()
    {
        var query = ListAgreementsQuery.Parse(new());

        Assert.Equal(AgreementSort.SignedOn, query.Sort);
        Assert.Equal(PageLimits.Default, query.Limit);
        Assert.Equal("agreementssignedOn", query.CursorKind);
        Assert.Null(query.Country);
        Assert.Null(query.After);
    }

    [Fact]
    public void Parse_WhenEveryCodedAgreementFilterIsWrong_ShouldReportEachFieldWithItsMessageInOneFailure()
    {
        var errors = ErrorsOf(() => ListAgreementsQuery.Parse(new(
            Country: "J1", PartnerKind: "city", Scope: "Publication Exchange", Status: "open", SignedFrom: "2020/01", SignedTo: "2020-13",
            Limit: 0, Q: " ", Year: 1800, Sort: "date", ExpiringWithin: "90 days", Cursor: "not-a-cursor")));

        Assert.Equal(
            ["country", "cursor", "expiringWithin", "limit", "partnerKind", "q", "scope", "signedFrom", "signedTo", "sort", "status", "year"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([CommonErrors.InvalidCountryCode.Message], errors["country"]);
        Assert.Equal([$"Must be one of: {WireEnum.Allowed<PartnerKind>()}."], errors["partnerKind"]);
        Assert.Equal([$"Must be one of: {WireEnum.Allowed<AgreementStatus>()}."], errors["status"]);
        Assert.Equal([ListAgreementsQuery.ScopeMessage], errors["scope"]);
        Assert.Equal([CommonErrors.InvalidPartialDate.Message], errors["signedFrom"]);
        Assert.Equal(["Must be one of: signedOn, -signedOn, name, -name."], errors["sort"]);
        Assert.Equal(["expiringWithin: " + CalendarPeriod.Rule], errors["expiringWithin"]);
        Assert.Equal([Cursor.InvalidForSortMessage], errors["cursor"]);
        Assert.Equal(["limit must be between 1 and 100."], errors["limit"]);
    }

    /// <summary>The search text is normalised once, here (ADR 0054): the query carries the term as the stored texts are written.</summary>
    [Fact]
    public void Parse_WhenQIsSent_ShouldCarryItNormalised()
    {
        Assert.Equal("ucla med", ListAgreementsQuery.Parse(new(Q: " ＵＣＬＡ Med ")).Q?.Text);
        Assert.Equal("ucla med", ListPartnersQuery.Parse(null, null, null, null, " ＵＣＬＡ Med ").Q?.Text);
        Assert.Equal(SearchTerm.Of("UCLA"), ListPartnersQuery.Parse(null, null, null, null, "ｕｃｌａ").Q);
        Assert.Equal("%50\\%\\_a\\\\b%", SearchTerm.Of("50%_A\\b").ContainsPattern);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("a\u0001b")]
    [InlineData("\uFFFE")]
    public void Parse_WhenQIsNotText_ShouldReportQWithItsMessage(string q)
    {
        Assert.Equal(["q is 1 to 200 characters of text."], ErrorsOf(() => ListAgreementsQuery.Parse(new(Q: q)))["q"]);
        Assert.Equal(["q is 1 to 200 characters of text."], ErrorsOf(() => ListPartnersQuery.Parse(null, null, null, null, q))["q"]);
    }

    [Fact]
    public void Parse_WhenQIsLongerThan200_ShouldReportQ()
    {
        Assert.Equal(["q is 1 to 200 characters of text."], ErrorsOf(() => ListAgreementsQuery.Parse(new(Q: new string('a', 201))))["q"]);
        Assert.Equal("a", Assert.Single(ListAgreementsQuery.Parse(new(Q: new string('a', 200))).Q!.Text.Distinct()).ToString());
    }

    [Fact]
    public void DeliveryLogPage_WhenValid_ShouldGiveTheTypedPage()
    {
        Assert.Equal(new DeliveryLogPage(null, 50), DeliveryLogPage.Parse(null, null));
        Assert.Equal(new DeliveryLogPage(1234, 200), DeliveryLogPage.Parse("1234", 200));
        Assert.Equal(new DeliveryLogPage(0, 1), DeliveryLogPage.Parse("0", 1));
    }

    [Theory]
    [InlineData(null, 0, "webhook.limit-invalid", "limit")]
    [InlineData(null, 201, "webhook.limit-invalid", "limit")]
    [InlineData("abc", 201, "webhook.limit-invalid", "limit")]
    [InlineData("abc", null, "webhook.cursor-invalid", "before")]
    [InlineData("-1", null, "webhook.cursor-invalid", "before")]
    [InlineData(" 1", null, "webhook.cursor-invalid", "before")]
    [InlineData("99999999999999999999", null, "webhook.cursor-invalid", "before")]
    public void DeliveryLogPage_WhenWrong_ShouldFailWithTheFieldsError(string? before, int? limit, string code, string field)
    {
        var error = Assert.Throws<DomainException>(() => DeliveryLogPage.Parse(before, limit)).Error;

        Assert.Equal(code, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Fact]
    public void Parse_WhenSignedFromIsAfterSignedTo_ShouldReportSignedTo()
    {
        var errors = ErrorsOf(() => ListAgreementsQuery.Parse(new(SignedFrom: "2021-01", SignedTo: "2020-12")));

        Assert.Equal(["signedFrom must not be after signedTo."], errors["signedTo"]);
        Assert.Single(errors);
    }

    [Fact]
    public void Parse_WhenSignedFromAndSignedToAreTheSameMonth_ShouldAcceptTheWholeMonth()
    {
        var query = ListAgreementsQuery.Parse(new(SignedFrom: "2020-09", SignedTo: "2020-09"));

        Assert.Equal(new DateOnly(2020, 9, 1), query.SignedFrom?.Earliest);
        Assert.Equal(new DateOnly(2020, 9, 30), query.SignedTo?.Latest);
    }

    [Fact]
    public void Parse_WhenTheCursorWasIssuedForTheSort_ShouldGiveItsTypedKey()
    {
        var byDay = new PageKey(13, Day: new DateOnly(2020, 9, 7)).ToCursor("agreementssignedOn");
        var byName = new PageKey(13, Name: "大阪府").ToCursor("agreements-name");

        Assert.Equal(new PageKey(13, Day: new DateOnly(2020, 9, 7)), ListAgreementsQuery.Parse(new(Cursor: byDay)).After);
        Assert.Equal(new PageKey(13, Name: "大阪府"), ListAgreementsQuery.Parse(new(Cursor: byName, Sort: "-name")).After);
    }

    [Fact]
    public void Parse_WhenTheCursorIsOfAnotherSort_ShouldReportTheCursor()
    {
        var byName = new PageKey(13, Name: "大阪府").ToCursor("agreementsname");

        var errors = ErrorsOf(() => ListAgreementsQuery.Parse(new(Cursor: byName)));

        Assert.Equal([Cursor.InvalidForSortMessage], errors["cursor"]);
    }

    [Fact]
    public void Parse_WhenADateSortsCursorCarriesNoDay_ShouldReportTheCursor()
    {
        var forged = Cursor.Encode("agreementssignedOn", "大阪府", "13");

        var errors = ErrorsOf(() => ListAgreementsQuery.Parse(new(Cursor: forged)));

        Assert.Equal([Cursor.InvalidForSortMessage], errors["cursor"]);
    }

    [Fact]
    public void ToCursor_WhenTheKeyIsADay_ShouldWriteTheCursorTheServiceHasAlwaysIssued()
    {
        Assert.Equal(
            Cursor.Encode("agreementssignedOn", "2020-09-07", "13"),
            new PageKey(13, Day: new DateOnly(2020, 9, 7)).ToCursor("agreementssignedOn"));
        Assert.Equal(Cursor.Encode("partnerssince", string.Empty, "7"), new PageKey(7).ToCursor("partnerssince"));
    }

    [Fact]
    public void Following_WhenGivenAPagesNext_ShouldStartAfterItsRowWithTheSameFilters()
    {
        var query = ListAgreementsQuery.Parse(new(Country: "US", Sort: "-signedOn"));
        var next = new PageKey(42, Day: new DateOnly(2019, 3, 1)).ToCursor(query.CursorKind);

        var following = query.Following(next);

        Assert.Equal(new PageKey(42, Day: new DateOnly(2019, 3, 1)), following.After);
        Assert.Equal(query with { After = following.After }, following);
    }

    [Fact]
    public void Parse_WhenThePartnerFiltersAreValid_ShouldGiveTheirDomainValues()
    {
        var query = ListPartnersQuery.Parse("us", "university", 10, null, "ucla", "name");

        Assert.Equal(CountryCode.Create("US"), query.Country);
        Assert.Equal(PartnerKind.University, query.Kind);
        Assert.Equal(PartnerSort.Name, query.Sort);
        Assert.Equal(10, query.Limit);
        Assert.Equal("partnersname", query.CursorKind);
    }

    [Fact]
    public void Parse_WhenThePartnerFiltersAreWrong_ShouldReportEachField()
    {
        var errors = ErrorsOf(() => ListPartnersQuery.Parse("ZZZ", "city", 101, "abc", new string('a', 201), "-since"));

        Assert.Equal(["country", "cursor", "kind", "limit", "q", "sort"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([$"Must be one of: {WireEnum.Allowed<PartnerKind>()}."], errors["kind"]);
        Assert.Equal(["Must be one of: since, name, -name."], errors["sort"]);
        Assert.Equal([Cursor.InvalidForSortMessage], errors["cursor"]);
    }

    [Fact]
    public void Parse_WhenThePartnersAreInPartnershipOrder_ShouldReadTheCursorBySequenceAlone()
    {
        var cursor = Cursor.Encode("partnerssince", string.Empty, "7");

        Assert.Equal(new PageKey(7), ListPartnersQuery.Parse(null, null, null, cursor).After);
    }

    [Fact]
    public void Parse_WhenAfterIsAFeedCursor_ShouldGiveItsPosition()
    {
        var query = ListChangesQuery.Parse(ListChangesQuery.CursorOf(27), null);

        Assert.Equal(new ListChangesQuery(27, ListChangesQuery.DefaultLimit), query);
        Assert.Equal(new ListChangesQuery(0, 1000), ListChangesQuery.Parse(null, 1000));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Parse_WhenTheFeedsLimitIsOutOfRange_ShouldReportLimit(int limit)
    {
        var errors = ErrorsOf(() => ListChangesQuery.Parse(null, limit));

        Assert.Equal(["limit must be between 1 and 1000."], errors["limit"]);
    }

    [Fact]
    public void Parse_WhenAfterIsAPageCursorOrNotAPosition_ShouldReportAfterWithTheListsMessage()
    {
        var ofAnotherList = new PageKey(7).ToCursor("partnerssince");
        var notAPosition = Cursor.Encode(ListChangesQuery.CursorKind, "-1");

        Assert.Equal([Cursor.InvalidMessage], ErrorsOf(() => ListChangesQuery.Parse(ofAnotherList, null))["after"]);
        Assert.Equal([Cursor.InvalidMessage], ErrorsOf(() => ListChangesQuery.Parse(notAPosition, null))["after"]);
    }

    [Fact]
    public void OneOf_WhenTheTextIsInTheListButInAnotherCase_ShouldFail()
    {
        var parse = new WireParse([]);

        Assert.Equal(1, parse.OneOf("sort", "-signedOn", ListAgreementsQuery.Sorts));
        Assert.Null(parse.OneOf("sort", "SIGNEDON", ListAgreementsQuery.Sorts));
        Assert.Equal("sort", Assert.Single(parse.Failures).PropertyName);
    }

    private static Dictionary<string, string[]> ErrorsOf(Action parse) =>
        Assert.Throws<ValidationException>(parse).Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
}
