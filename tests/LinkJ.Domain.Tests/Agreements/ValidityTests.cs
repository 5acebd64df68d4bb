using System.Globalization;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Agreements;

public sealed class ValidityTests
{
    private static readonly DateOnly UclaSigned = new(2019, 6, 3);
    private static readonly DateOnly OsakaSigned = new(2020, 9, 7);

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void OpenEnded_WhenCreated_ShouldHaveNoEndAndNoTerm()
    {
        var validity = Validity.OpenEnded(OsakaSigned);

        Assert.Equal(OsakaSigned, validity.From);
        Assert.Null(validity.Until);
        Assert.Null(validity.TermMonths);
    }

    [Fact]
    public void Between_WhenEndAfterStart_ShouldKeepBothAndNoTerm()
    {
        var validity = Validity.Between(Day("2018-08-30"), Day("2023-08-29"));

        Assert.Equal(Day("2018-08-30"), validity.From);
        Assert.Equal(Day("2023-08-29"), validity.Until);
        Assert.Null(validity.TermMonths);
    }

    [Fact]
    public void Between_WhenEndIsStart_ShouldAcceptOneDay()
    {
        var validity = Validity.Between(OsakaSigned, OsakaSigned);

        Assert.Equal(OsakaSigned, validity.Until);
    }

    [Theory]
    [InlineData("2020-09-07", "2020-09-06")]
    [InlineData("2020-09-07", "2019-09-07")]
    [InlineData("2020-01-01", "2019-12-31")]
    public void Between_WhenEndBeforeStart_ShouldThrowValidityEndsBeforeStart(string from, string until)
    {
        var error = Assert.Throws<DomainException>(() => Validity.Between(Day(from), Day(until))).Error;

        Assert.Equal("agreement.validity-ends-before-start", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Fact]
    public void ForTerm_WhenUclaFiveYearMou_ShouldEndTheDayBeforeTheFifthAnniversary()
    {
        var validity = Validity.ForTerm(UclaSigned, 60);

        Assert.Equal(UclaSigned, validity.From);
        Assert.Equal(new DateOnly(2024, 6, 2), validity.Until);
        Assert.Equal(60, validity.TermMonths);
    }

    [Theory]
    [InlineData("2020-09-07", 12, "2021-09-06")]
    [InlineData("2020-01-01", 1, "2020-01-31")]
    [InlineData("2020-02-01", 1, "2020-02-29")] // leap year
    [InlineData("2019-02-01", 1, "2019-02-28")]
    [InlineData("2020-09-18", 36, "2023-09-17")] // Kanagawa Prefecture
    [InlineData("2018-01-01", Validity.MaxTermMonths, "2117-12-31")]
    public void ForTerm_WhenTermInRange_ShouldEndTheDayBeforeTheSameDateTermMonthsLater(string from, int months, string expectedUntil)
    {
        var validity = Validity.ForTerm(Day(from), months);

        Assert.Equal(Day(expectedUntil), validity.Until);
        Assert.Equal(months, validity.TermMonths);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-60)]
    [InlineData(Validity.MaxTermMonths + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void ForTerm_WhenTermOutOfRange_ShouldThrowInvalidTerm(int months)
    {
        var code = Assert.Throws<DomainException>(() => Validity.ForTerm(UclaSigned, months)).Error.Code;

        Assert.Equal("agreement.invalid-term", code);
    }

    [Fact]
    public void ForTerm_WhenEndWouldPassTheLastRepresentableDate_ShouldThrowDomainException()
    {
        // A start date typed as 9999 reaches the domain untouched: it must fail as a rule, not as ArgumentOutOfRangeException.
        var exception = Record.Exception(() => Validity.ForTerm(new DateOnly(9999, 6, 1), 12));

        Assert.IsType<DomainException>(exception);
    }

    [Fact]
    public void Create_WhenTermAndMatchingEnd_ShouldEqualForTerm()
    {
        var validity = Validity.Create(UclaSigned, new DateOnly(2024, 6, 2), 60);

        Assert.Equal(Validity.ForTerm(UclaSigned, 60), validity);
    }

    [Fact]
    public void Create_WhenTermWithoutEnd_ShouldComputeTheEnd()
    {
        var validity = Validity.Create(UclaSigned, null, 60);

        Assert.Equal(new DateOnly(2024, 6, 2), validity.Until);
        Assert.Equal(60, validity.TermMonths);
    }

    [Theory]
    [InlineData("2024-06-03")] // the anniversary itself: one day too many
    [InlineData("2024-06-01")]
    [InlineData("2024-05-31")]
    [InlineData("2019-06-02")] // before the start
    public void Create_WhenTermDisagreesWithEnd_ShouldThrowTermDisagreesWithEnd(string until)
    {
        var code = Assert.Throws<DomainException>(() => Validity.Create(UclaSigned, Day(until), 60)).Error.Code;

        Assert.Equal("agreement.term-disagrees-with-end", code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Validity.MaxTermMonths + 1)]
    public void Create_WhenTermOutOfRange_ShouldThrowInvalidTerm(int months)
    {
        var code = Assert.Throws<DomainException>(() => Validity.Create(UclaSigned, new DateOnly(2024, 6, 2), months)).Error.Code;

        Assert.Equal("agreement.invalid-term", code);
    }

    [Fact]
    public void Create_WhenEndWithoutTerm_ShouldEqualBetween()
    {
        var validity = Validity.Create(UclaSigned, new DateOnly(2024, 6, 2), null);

        Assert.Equal(Validity.Between(UclaSigned, new DateOnly(2024, 6, 2)), validity);
        Assert.Null(validity.TermMonths);
    }

    [Fact]
    public void Create_WhenEndBeforeStartWithoutTerm_ShouldThrowValidityEndsBeforeStart()
    {
        var code = Assert.Throws<DomainException>(() => Validity.Create(OsakaSigned, OsakaSigned.AddDays(-1), null)).Error.Code;

        Assert.Equal("agreement.validity-ends-before-start", code);
    }

    [Fact]
    public void Create_WhenNeitherEndNorTerm_ShouldEqualOpenEnded()
    {
        var validity = Validity.Create(OsakaSigned, null, null);

        Assert.Equal(Validity.OpenEnded(OsakaSigned), validity);
    }

    [Fact]
    public void Equals_WhenSameEndButOnlyOneHasATerm_ShouldNotBeEqual()
    {
        var byTerm = Validity.ForTerm(UclaSigned, 60);
        var byDates = Validity.Between(UclaSigned, new DateOnly(2024, 6, 2));

        Assert.Equal(byTerm.Until, byDates.Until);
        Assert.NotEqual(byTerm, byDates);
    }

    [Theory]
    [InlineData("2019-06-03", false)] // first day
    [InlineData("2020-09-07", false)]
    [InlineData("2024-06-01", false)]
    [InlineData("2024-06-02", false)] // last day in force
    [InlineData("2024-06-03", true)] // the day after
    [InlineData("2030-01-01", true)]
    public void HasEndedBy_WhenUclaTermChecked_ShouldBeTrueOnlyAfterTheLastDay(string today, bool expected)
    {
        var validity = Validity.ForTerm(UclaSigned, 60);

        Assert.Equal(expected, validity.HasEndedBy(Day(today)));
    }

    [Theory]
    [InlineData("2020-09-07")]
    [InlineData("2200-12-31")]
    public void HasEndedBy_WhenOpenEnded_ShouldNeverEnd(string today)
    {
        var validity = Validity.OpenEnded(OsakaSigned);

        Assert.False(validity.HasEndedBy(Day(today)));
        Assert.False(validity.HasEndedBy(DateOnly.MaxValue));
    }

    [Fact]
    public void HasEndedBy_WhenBetweenDates_ShouldEndAfterTheUntilDay()
    {
        var validity = Validity.Between(Day("2018-08-30"), Day("2023-08-29"));

        Assert.False(validity.HasEndedBy(Day("2023-08-29")));
        Assert.True(validity.HasEndedBy(Day("2023-08-30")));
    }
}
