using FluentValidation;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Commands.TerminateAgreement;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>
/// ADR 0044: a write's input is checked and parsed into domain values in one pass (<see cref="AgreementFields"/>,
/// <see cref="PartnerFields"/>, <see cref="TerminateAgreementCommand.Parse"/>); a value that does not parse is a 400
/// failure on its field, with the message the service has always given. No database, no HTTP.
/// </summary>
public sealed class WireParseTests
{
    private static readonly NewAgreementInput Agreement = new()
    {
        PartnerId = Guid.CreateVersion7(),
        Type = "mou",
        Title = new BilingualTextDto("連携協定", "Partnership"),
        SignedOn = "2020-09",
        Validity = new ValidityInput("2020-10-01", null, 60),
        Cooperation = new CooperationInput(["publication-exchange"], true, null),
    };

    private static readonly PartnerInput Partner = new()
    {
        Slug = "kanagawa-prefecture",
        Name = new BilingualTextDto("神奈川県", "Kanagawa Prefecture"),
        Kind = "local-government",
        Country = "jp",
        Website = "https://www.pref.kanagawa.jp/",
        FormerNames = [new FormerNameDto(new BilingualTextDto("旧神奈川", null), "2001-04")],
    };

    [Fact]
    public void ParseNew_WhenTheAgreementIsValid_ShouldGiveItsDomainValues()
    {
        var (fields, status) = AgreementFields.ParseNew(Agreement);

        Assert.Equal(AgreementType.Mou, fields.Type);
        Assert.Equal(PartialDate.InMonth(2020, 9), fields.SignedOn);
        Assert.Equal(new DateOnly(2020, 10, 1), fields.ValidFrom);
        Assert.Null(fields.ValidUntil);
        Assert.Equal(60, fields.TermMonths);
        Assert.Equal(AgreementStatus.Active, status);
    }

    [Theory]
    [InlineData("2020/09/07")]
    [InlineData("2020-13")]
    [InlineData("07.09.2020")]
    public void Parse_WhenSignedOnIsNotIso_ShouldReportSignedOnWithTheDateMessage(string signedOn)
    {
        var errors = ErrorsOf(() => AgreementFields.Parse(Agreement with { SignedOn = signedOn }));

        Assert.Equal([CommonErrors.InvalidPartialDate.Message], errors["signedOn"]);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("from")]
    [InlineData("until")]
    public void Parse_WhenAValidityDateIsOnlyAMonth_ShouldReportThatItMustBeADay(string member)
    {
        var validity = member == "from" ? new ValidityInput("2020-10", null, null) : new ValidityInput(null, "2025-09", null);

        var errors = ErrorsOf(() => AgreementFields.Parse(Agreement with { Validity = validity }));

        Assert.Equal(["Must be a date YYYY-MM-DD."], errors[$"validity.{member}"]);
    }

    [Fact]
    public void Parse_WhenTheTypeIsUnknown_ShouldReportTheAllowedValues()
    {
        var errors = ErrorsOf(() => AgreementFields.Parse(Agreement with { Type = "MOU" }));

        Assert.Equal(["Must be one of: mou, collaboration-agreement, other."], errors["type"]);
    }

    /// <summary>The shape (a missing title) and a parse (an unknown type) fail in the same pass: one 400 names both.</summary>
    [Fact]
    public void Parse_WhenTheShapeAndAValueAreWrong_ShouldReportBothFieldsAtOnce()
    {
        var errors = ErrorsOf(() => AgreementFields.Parse(Agreement with { Title = null, Type = "treaty", SignedOn = null }));

        Assert.Equal(["signedOn", "title", "type"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("terminated")]
    [InlineData("Draft")]
    public void ParseNew_WhenTheStatusIsNeitherDraftNorActive_ShouldReportStatus(string status)
    {
        var errors = ErrorsOf(() => AgreementFields.ParseNew(Agreement with { Status = status }));

        Assert.Equal([AgreementFields.NewStatusMessage], errors["status"]);
    }

    [Fact]
    public void TryParseNew_WhenTheRowUpdatesAStoredAgreement_ShouldIgnoreItsStatus()
    {
        Assert.True(AgreementFields.TryParseNew(Agreement with { Status = "expired" }, isNew: false, out var fields, out _, out var failures));
        Assert.NotNull(fields);
        Assert.Empty(failures);
        Assert.False(AgreementFields.TryParseNew(Agreement with { Status = "expired" }, isNew: true, out _, out _, out failures));
        Assert.Equal("status", Assert.Single(failures).PropertyName);
    }

    [Fact]
    public void Parse_WhenThePartnerIsValid_ShouldGiveItsDomainValues()
    {
        var fields = PartnerFields.Parse(Partner);

        Assert.Equal("kanagawa-prefecture", fields.Slug.Value);
        Assert.Equal(PartnerKind.LocalGovernment, fields.Kind);
        Assert.Equal(CountryCode.Japan, fields.Country);
        Assert.Equal(new Uri("https://www.pref.kanagawa.jp/"), fields.Website);
        Assert.Equal(PartialDate.InMonth(2001, 4), Assert.Single(fields.FormerNames).Until);
    }

    [Theory]
    [InlineData("slug", "Kanagawa", "A slug is 1-80 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.")]
    [InlineData("kind", "prefecture", "Must be one of: university, research-institute, industry-association, local-government, foundation, company, other.")]
    [InlineData("country", "XX", "The country must be an ISO 3166-1 alpha-2 code such as JP, US, GB or FR.")]
    [InlineData("website", "ftp://example.org", "A website must be an absolute http or https URL.")]
    public void Parse_WhenAPartnerValueDoesNotParse_ShouldReportItsFieldWithItsMessage(string field, string value, string message)
    {
        var input = field switch
        {
            "slug" => Partner with { Slug = value },
            "kind" => Partner with { Kind = value },
            "country" => Partner with { Country = value },
            _ => Partner with { Website = value },
        };

        var errors = ErrorsOf(() => PartnerFields.Parse(input));

        Assert.Equal([message], errors[field]);
        Assert.Single(errors);
    }

    /// <summary>A former name's date is reported under the name FluentValidation gives an item's member, as before ADR 0044.</summary>
    [Fact]
    public void Parse_WhenAFormerNamesDateIsNotADate_ShouldNameTheFieldAsTheItemRulesDo()
    {
        var input = Partner with { FormerNames = [new FormerNameDto(new BilingualTextDto("旧", null), "2001-04"), new FormerNameDto(new BilingualTextDto("旧", null), "April 2001")] };
        var itemRules = new InlineValidator<PartnerInput>();
        itemRules.RuleForEach(i => i.FormerNames).ChildRules(f => f.RuleFor(x => x.Until).Must(u => u is null || PartialDate.TryParse(u, out _)))
            .OverridePropertyName("formerNames");

        var errors = ErrorsOf(() => PartnerFields.Parse(input));

        Assert.Equal([CommonErrors.InvalidPartialDate.Message], errors[Assert.Single(itemRules.Validate(input).Errors).PropertyName]);
        Assert.Equal("formerNames[1].Until", Assert.Single(errors.Keys));
    }

    [Theory]
    [InlineData(null, "on")]
    [InlineData("2026-12", "on")]
    [InlineData("2026-12-07T00:00", "on")]
    public void Parse_WhenTheTerminationDateIsNotADay_ShouldReportOn(string? on, string field)
    {
        var errors = ErrorsOf(() => TerminateAgreementCommand.Parse(Guid.CreateVersion7(), VersionCondition.Any, on, "終了"));

        Assert.Equal([WireParse.DayMessage], errors[field]);
    }

    [Fact]
    public void Parse_WhenTheTerminationIsValid_ShouldGiveTheDay()
    {
        var command = TerminateAgreementCommand.Parse(Guid.CreateVersion7(), VersionCondition.Any, "2026-12-07", "終了");

        Assert.Equal(new DateOnly(2026, 12, 7), command.On);
    }

    private static Dictionary<string, string[]> ErrorsOf(Action parse) =>
        Assert.Throws<ValidationException>(parse).Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
}
