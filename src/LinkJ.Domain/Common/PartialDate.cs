using System.Globalization;

namespace LinkJ.Domain.Common;

/// <summary>
/// A date known to the day (<c>2020-09-07</c>) or only to the month (<c>2020-09</c>).
/// A month-precision date is stored as the first day of its month, so dates sort naturally.
/// </summary>
public sealed record PartialDate : IComparable<PartialDate>
{
    private PartialDate(DateOnly date, DatePrecision precision)
    {
        Date = date;
        Precision = precision;
    }

    /// <summary>The date; the first of the month when <see cref="Precision"/> is <see cref="DatePrecision.Month"/>.</summary>
    public DateOnly Date { get; private init; }

    public DatePrecision Precision { get; private init; }

    public int Year => Date.Year;

    public int Month => Date.Month;

    public static PartialDate OnDay(int year, int month, int day)
    {
        Guard.That(IsValid(year, month) && day >= 1 && day <= DateTime.DaysInMonth(year, month), CommonErrors.InvalidPartialDate);
        return new PartialDate(new DateOnly(year, month, day), DatePrecision.Day);
    }

    public static PartialDate InMonth(int year, int month)
    {
        Guard.That(IsValid(year, month), CommonErrors.InvalidPartialDate);
        return new PartialDate(new DateOnly(year, month, 1), DatePrecision.Month);
    }

    public static PartialDate From(DateOnly date, DatePrecision precision) =>
        precision == DatePrecision.Day ? OnDay(date.Year, date.Month, date.Day) : InMonth(date.Year, date.Month);

    /// <summary>Parses <c>YYYY-MM-DD</c> or <c>YYYY-MM</c>.</summary>
    public static PartialDate Parse(string? text) =>
        TryParse(text, out var date) ? date : throw new DomainException(CommonErrors.InvalidPartialDate);

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PartialDate? date)
    {
        date = null;
        if (text is null)
        {
            return false;
        }

        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && IsValid(day.Year, day.Month))
        {
            date = new PartialDate(day, DatePrecision.Day);
            return true;
        }

        if (text.Length == 7 && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && IsValid(month.Year, month.Month))
        {
            date = new PartialDate(month, DatePrecision.Month);
            return true;
        }

        return false;
    }

    /// <summary>The first day the date can mean.</summary>
    public DateOnly Earliest => Date;

    /// <summary>The last day the date can mean (the month's last day for a month-precision date).</summary>
    public DateOnly Latest => Precision == DatePrecision.Day ? Date : Date.AddMonths(1).AddDays(-1);

    public int CompareTo(PartialDate? other) => other is null ? 1 : Date.CompareTo(other.Date);

    /// <summary><c>2020-09-07</c> or <c>2020-09</c>.</summary>
    public override string ToString() =>
        Precision == DatePrecision.Day
            ? Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : Date.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    // LINK-J was founded in 2016; a generous window still rejects typos such as 0202 or 9999.
    private static bool IsValid(int year, int month) => year is >= 1900 and <= 2200 && month is >= 1 and <= 12;
}
