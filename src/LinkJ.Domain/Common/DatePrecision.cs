namespace LinkJ.Domain.Common;

/// <summary>How much of a date is known: LINK-J's tables give months (2020年9月), its texts days (9月7日).</summary>
public enum DatePrecision
{
    Month,
    Day,
}
