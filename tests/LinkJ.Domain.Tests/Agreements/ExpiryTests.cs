using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Agreements;

public sealed class ExpiryTests
{
    // UCLA's five-year MOU of 2019-06-03: its last day in force is 2024-06-02.
    private static readonly Validity Ucla = Validity.ForTerm(new DateOnly(2019, 6, 3), 60);

    [Theory]
    [InlineData("P90D", 0, 0, 90)]
    [InlineData("P12W", 0, 0, 84)]
    [InlineData("P3M", 0, 3, 0)]
    [InlineData("P1Y6M", 1, 6, 0)]
    [InlineData("P1M2W3D", 0, 1, 17)]
    [InlineData("P0D", 0, 0, 0)]
    [InlineData("P10Y", 10, 0, 0)]
    public void TryParse_WhenAnIsoDurationOfDaysWeeksMonthsOrYears_ShouldReadIt(string text, int years, int months, int days)
    {
        Assert.True(CalendarPeriod.TryParse(text, out var period));
        Assert.Equal(new CalendarPeriod(years, months, days), period);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT1H")]
    [InlineData("P1DT1H")]
    [InlineData("P-1D")]
    [InlineData("90D")]
    [InlineData("P1,5D")]
    [InlineData("P11Y")]
    [InlineData("P3661D")]
    [InlineData("P99999Y")]
    [InlineData("P1D1M")]
    public void TryParse_WhenNotAPeriodOfWholeDays_ShouldRefuseIt(string? text) =>
        Assert.False(CalendarPeriod.TryParse(text, out _));

    [Fact]
    public void After_WhenMonthsEndOnAShorterMonth_ShouldStopAtItsLastDay() =>
        Assert.Equal(new DateOnly(2024, 2, 29), new CalendarPeriod(0, 1, 0).After(new DateOnly(2024, 1, 31)));

    [Theory]
    [InlineData("2024-03-04", "P90D", true)]  // 90 days before the last day: within
    [InlineData("2024-03-03", "P90D", false)] // 91 days before
    [InlineData("2024-06-02", "P0D", true)]   // the last day itself
    [InlineData("2024-06-03", "P1Y", false)]  // ended
    public void IsExpiring_WhenTheLastDayIsInOrOutOfTheWindow_ShouldSaySo(string today, string within, bool expected)
    {
        CalendarPeriod.TryParse(within, out var period);
        Assert.Equal(expected, Expiry.IsExpiring(AgreementStatus.Active, false, Ucla, DateOnly.Parse(today), period));
    }

    [Theory]
    [InlineData(AgreementStatus.Draft, false)]
    [InlineData(AgreementStatus.Expired, false)]
    [InlineData(AgreementStatus.Terminated, false)]
    [InlineData(AgreementStatus.Active, true)]
    public void IsExpiring_WhenNotInForce_ShouldBeFalse(AgreementStatus status, bool expected)
    {
        CalendarPeriod.TryParse("P1Y", out var year);
        Assert.Equal(expected, Expiry.IsExpiring(status, false, Ucla, new DateOnly(2024, 1, 1), year));
        Assert.False(Expiry.IsExpiring(status, deleted: true, Ucla, new DateOnly(2024, 1, 1), year));
    }

    [Theory]
    [InlineData("2024-03-03", null, "")]       // 91 days before: none yet
    [InlineData("2024-03-04", 90, "")]         // the 90-day mark
    [InlineData("2024-04-10", 90, "")]         // between 90 and 30: the 90-day one is still the one due
    [InlineData("2024-05-03", 30, "90")]       // the 30-day mark
    [InlineData("2024-05-30", 7, "30,90")]     // 3 days before: the 7-day one, late; the others superseded
    [InlineData("2024-06-02", 7, "30,90")]     // the last day
    [InlineData("2024-06-03", null, "")]       // ended: none
    public void DueReminder_WhenTheDayHasComeOrWasMissed_ShouldBeTheNearestThreshold(string today, int? expected, string superseded)
    {
        var due = Expiry.DueReminder(new DateOnly(2024, 6, 2), DateOnly.Parse(today), Expiry.DefaultReminderDays, out var skipped);

        Assert.Equal(expected, due);
        Assert.Equal(superseded, string.Join(",", skipped.Order()));
    }
}
