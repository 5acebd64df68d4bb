using System.Globalization;
using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Common;

public sealed class PartialDateTests
{
    [Fact]
    public void Parse_WhenFullDate_ShouldHaveDayPrecision()
    {
        // Osaka Prefecture: the release's text gives the day, 9月7日.
        var date = PartialDate.Parse("2020-09-07");

        Assert.Equal(new DateOnly(2020, 9, 7), date.Date);
        Assert.Equal(DatePrecision.Day, date.Precision);
        Assert.Equal(2020, date.Year);
        Assert.Equal(9, date.Month);
    }

    [Fact]
    public void Parse_WhenYearAndMonth_ShouldHaveMonthPrecisionOnTheFirst()
    {
        // Osaka Prefecture: the release's table gives only the month, 2020年9月.
        var date = PartialDate.Parse("2020-09");

        Assert.Equal(new DateOnly(2020, 9, 1), date.Date);
        Assert.Equal(DatePrecision.Month, date.Precision);
        Assert.Equal(2020, date.Year);
        Assert.Equal(9, date.Month);
    }

    [Theory]
    [InlineData("2020-13")] // no 13th month
    [InlineData("2020-00")]
    [InlineData("2020-02-30")] // no 30 February
    [InlineData("2019-02-29")] // not a leap year
    [InlineData("2020-09-31")]
    [InlineData("2020-09-00")]
    [InlineData("9999-99")]
    [InlineData("2020-9")] // month must have two digits
    [InlineData("2020-9-7")]
    [InlineData("2020-09-7")]
    [InlineData("20200907")] // no separators
    [InlineData("202009")]
    [InlineData("")]
    [InlineData("2020")] // a year alone is not a precision
    [InlineData("2020/09/07")]
    [InlineData("07-09-2020")]
    [InlineData(" 2020-09")]
    [InlineData("2020-09 ")]
    [InlineData("2020-09-07T00:00")]
    [InlineData("2020年9月")]
    [InlineData("２０２０-09")] // full-width digits
    [InlineData("0202-09")] // a typo for 2020, before any plausible year
    [InlineData("1899-12-31")] // before the window
    [InlineData("2201-01")] // after the window
    [InlineData("9999-12-31")]
    public void Parse_WhenNotYearMonthOrYearMonthDay_ShouldThrowDateInvalid(string text)
    {
        var error = Assert.Throws<DomainException>(() => PartialDate.Parse(text)).Error;

        Assert.Equal("date.invalid", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Fact]
    public void Parse_WhenNull_ShouldThrowDateInvalid()
    {
        var code = Assert.Throws<DomainException>(() => PartialDate.Parse(null)).Error.Code;

        Assert.Equal("date.invalid", code);
    }

    [Theory]
    [InlineData("2020-02-29")] // leap day
    [InlineData("1900-01")] // first month of the window
    [InlineData("1900-01-01")]
    [InlineData("2200-12")] // last month of the window
    [InlineData("2200-12-31")]
    public void Parse_WhenAtTheEdges_ShouldAccept(string text)
    {
        Assert.Equal(text, PartialDate.Parse(text).ToString());
    }

    [Theory]
    [InlineData("2020-09-07", DatePrecision.Day)]
    [InlineData("2018-01", DatePrecision.Month)]
    public void TryParse_WhenValid_ShouldReturnTrueAndTheDate(string text, DatePrecision precision)
    {
        var parsed = PartialDate.TryParse(text, out var date);

        Assert.True(parsed);
        Assert.NotNull(date);
        Assert.Equal(precision, date.Precision);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2020-13")]
    [InlineData("2020-02-30")]
    [InlineData("20200907")]
    public void TryParse_WhenInvalid_ShouldReturnFalseAndNull(string? text)
    {
        var parsed = PartialDate.TryParse(text, out var date);

        Assert.False(parsed);
        Assert.Null(date);
    }

    [Fact]
    public void OnDay_WhenValid_ShouldHaveDayPrecision()
    {
        var date = PartialDate.OnDay(2019, 6, 3); // UCLA

        Assert.Equal(new DateOnly(2019, 6, 3), date.Date);
        Assert.Equal(DatePrecision.Day, date.Precision);
    }

    [Theory]
    [InlineData(2020, 2, 30)]
    [InlineData(2019, 2, 29)]
    [InlineData(2020, 13, 1)]
    [InlineData(2020, 0, 1)]
    [InlineData(2020, 1, 0)]
    [InlineData(2020, 1, 32)]
    [InlineData(2020, 4, 31)]
    [InlineData(1899, 12, 31)]
    [InlineData(2201, 1, 1)]
    [InlineData(0, 1, 1)]
    [InlineData(-1, 1, 1)]
    [InlineData(9999, 99, 99)]
    public void OnDay_WhenNotARealDateInTheWindow_ShouldThrowDateInvalid(int year, int month, int day)
    {
        var code = Assert.Throws<DomainException>(() => PartialDate.OnDay(year, month, day)).Error.Code;

        Assert.Equal("date.invalid", code);
    }

    [Fact]
    public void InMonth_WhenValid_ShouldHaveMonthPrecisionOnTheFirst()
    {
        var date = PartialDate.InMonth(2018, 1); // the Kobe foundation, per the release's table

        Assert.Equal(new DateOnly(2018, 1, 1), date.Date);
        Assert.Equal(DatePrecision.Month, date.Precision);
    }

    [Theory]
    [InlineData(2020, 0)]
    [InlineData(2020, 13)]
    [InlineData(1899, 12)]
    [InlineData(2201, 1)]
    [InlineData(9999, 99)]
    public void InMonth_WhenNotARealMonthInTheWindow_ShouldThrowDateInvalid(int year, int month)
    {
        var code = Assert.Throws<DomainException>(() => PartialDate.InMonth(year, month)).Error.Code;

        Assert.Equal("date.invalid", code);
    }

    [Fact]
    public void From_WhenDayPrecision_ShouldKeepTheDay()
    {
        var date = PartialDate.From(new DateOnly(2020, 9, 7), DatePrecision.Day);

        Assert.Equal(PartialDate.OnDay(2020, 9, 7), date);
    }

    [Fact]
    public void From_WhenMonthPrecision_ShouldDropTheDay()
    {
        var date = PartialDate.From(new DateOnly(2020, 9, 7), DatePrecision.Month);

        Assert.Equal(PartialDate.InMonth(2020, 9), date);
        Assert.Equal(new DateOnly(2020, 9, 1), date.Date);
    }

    [Theory]
    [InlineData(DatePrecision.Day)]
    [InlineData(DatePrecision.Month)]
    public void From_WhenYearOutsideTheWindow_ShouldThrowDateInvalid(DatePrecision precision)
    {
        var code = Assert.Throws<DomainException>(() => PartialDate.From(new DateOnly(1800, 1, 1), precision)).Error.Code;

        Assert.Equal("date.invalid", code);
    }

    [Theory]
    [InlineData("2020-09-07", "2020-09-07", "2020-09-07")]
    [InlineData("2020-09", "2020-09-01", "2020-09-30")]
    [InlineData("2020-02", "2020-02-01", "2020-02-29")] // leap year
    [InlineData("2019-02", "2019-02-01", "2019-02-28")]
    [InlineData("2017-12", "2017-12-01", "2017-12-31")] // One Nucleus; the year turns
    [InlineData("2018-01", "2018-01-01", "2018-01-31")]
    [InlineData("2200-12", "2200-12-01", "2200-12-31")]
    public void EarliestAndLatest_WhenParsed_ShouldBoundTheDaysTheDateCanMean(string text, string earliest, string latest)
    {
        var date = PartialDate.Parse(text);

        Assert.Equal(DateOnly.ParseExact(earliest, "yyyy-MM-dd", CultureInfo.InvariantCulture), date.Earliest);
        Assert.Equal(DateOnly.ParseExact(latest, "yyyy-MM-dd", CultureInfo.InvariantCulture), date.Latest);
    }

    [Theory]
    [InlineData("2020-09-07")]
    [InlineData("2020-09")]
    [InlineData("2016-05")]
    [InlineData("2019-06-03")]
    [InlineData("2018-08-30")]
    public void ToString_WhenParsedBack_ShouldRoundTrip(string text)
    {
        var date = PartialDate.Parse(text);

        Assert.Equal(text, date.ToString());
        Assert.Equal(date, PartialDate.Parse(date.ToString()));
    }

    [Fact]
    public void ToString_WhenBuiltFromParts_ShouldBeIsoWithPadding()
    {
        Assert.Equal("2020-09-07", PartialDate.OnDay(2020, 9, 7).ToString());
        Assert.Equal("2018-01", PartialDate.InMonth(2018, 1).ToString());
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("ar-SA")] // Um Al-Qura calendar by default
    [InlineData("th-TH")] // Buddhist calendar by default
    [InlineData("fr-FR")]
    public void ToString_WhenCurrentCultureDiffers_ShouldStayIso(string culture)
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);

            Assert.Equal("2020-09-07", PartialDate.Parse("2020-09-07").ToString());
            Assert.Equal("2020-09", PartialDate.Parse("2020-09").ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void CompareTo_WhenSorted_ShouldOrderChronologicallyWhateverThePrecision()
    {
        var dates = new[] { "2020-09-07", "2016-05", "2019-06-03", "2018-01", "2017-12", "2020-07", "2018-08-30" }
            .Select(PartialDate.Parse)
            .ToList();

        dates.Sort();

        Assert.Equal(
            ["2016-05", "2017-12", "2018-01", "2018-08-30", "2019-06-03", "2020-07", "2020-09-07"],
            dates.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("2020-09", "2020-09-07", -1)] // the month sorts as its first day
    [InlineData("2020-09-07", "2020-09", 1)]
    [InlineData("2020-08-31", "2020-09", -1)]
    [InlineData("2020-09-07", "2020-09-07", 0)]
    [InlineData("2020-09", "2020-09", 0)]
    [InlineData("2021-01", "2020-12-31", 1)]
    public void CompareTo_WhenComparingTwoDates_ShouldGiveTheirChronologicalOrder(string left, string right, int expectedSign)
    {
        var comparison = PartialDate.Parse(left).CompareTo(PartialDate.Parse(right));

        Assert.Equal(expectedSign, Math.Sign(comparison));
    }

    [Fact]
    public void CompareTo_WhenOtherIsNull_ShouldSortAfterNull()
    {
        Assert.True(PartialDate.Parse("2020-09").CompareTo(null) > 0);
    }

    [Fact]
    public void Equals_WhenSameDayButDifferentPrecision_ShouldNotBeEqual()
    {
        var month = PartialDate.Parse("2020-09");
        var firstDay = PartialDate.Parse("2020-09-01");

        Assert.NotEqual(month, firstDay);
        Assert.Equal(month.Date, firstDay.Date);
    }

    [Fact]
    public void Equals_WhenSameDateAndPrecision_ShouldBeEqual()
    {
        Assert.Equal(PartialDate.Parse("2020-09-07"), PartialDate.OnDay(2020, 9, 7));
        Assert.Equal(PartialDate.Parse("2020-09"), PartialDate.InMonth(2020, 9));
        Assert.True(PartialDate.Parse("2020-09") == PartialDate.InMonth(2020, 9));
    }
}
