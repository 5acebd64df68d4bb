using System.Globalization;
using System.Text.RegularExpressions;

namespace LinkJ.Domain.Common;

/// <summary>
/// A period of calendar time as an ISO 8601 duration of whole years, months, weeks and days (<c>P90D</c>, <c>P12W</c>,
/// <c>P3M</c>, <c>P1Y6M</c>): no time part, at most <see cref="MaxYears"/> years. Months and years are calendar ones
/// (<c>P1M</c> after 31 January is 28 or 29 February), as people count "three months before it ends".
/// </summary>
public sealed partial record CalendarPeriod(int Years, int Months, int Days)
{
    public const int MaxYears = 10;

    public const string Rule = "An ISO 8601 duration of whole days, weeks, months or years such as P90D, P12W, P3M or P1Y (no time part), of at most P10Y.";

    public static bool TryParse(string? text, out CalendarPeriod period)
    {
        period = new CalendarPeriod(0, 0, 0);
        if (text is null || text.Length > 24 || Iso().Match(text) is not { Success: true } match || text.Length == 1)
        {
            return false;
        }

        static long Part(Group group) => group.Success ? long.Parse(group.Value, CultureInfo.InvariantCulture) : 0;
        var (years, months, weeks, days) = (Part(match.Groups[1]), Part(match.Groups[2]), Part(match.Groups[3]), Part(match.Groups[4]));
        // About ten years at most, in any unit (months of 31 days, years of 366, so that no spelling reaches further).
        if ((years * 366) + (months * 31) + (weeks * 7) + days > MaxYears * 366)
        {
            return false;
        }

        period = new CalendarPeriod((int)years, (int)months, (int)((weeks * 7) + days));
        return true;
    }

    /// <summary>The date this period after <paramref name="date"/>.</summary>
    public DateOnly After(DateOnly date) => date.AddYears(Years).AddMonths(Months).AddDays(Days);

    [GeneratedRegex(@"^P(?:(\d{1,5})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,5})D)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();
}
