using LinkJ.Domain.Common;

namespace LinkJ.Domain.Agreements;

/// <summary>
/// When an agreement is in force and when it is about to end (issue 18: <c>expiringWithin</c>, the
/// <c>agreement.expiring</c> reminders, the calendar). One place for the rules; the queries that narrow candidates in
/// SQL take their status and dates from here. Dates are Japan's (<c>IClock.TodayInJapan</c>), as agreements are dated.
/// </summary>
public static class Expiry
{
    /// <summary>The status of an agreement in force: signed and active; not a draft, not expired, not terminated.</summary>
    public const AgreementStatus InForceStatus = AgreementStatus.Active;

    /// <summary>The default reminder thresholds: 90, 30 and 7 days before the last day in force.</summary>
    public static readonly IReadOnlyList<int> DefaultReminderDays = [90, 30, 7];

    /// <summary>In force: active and not deleted.</summary>
    public static bool IsInForce(AgreementStatus status, bool deleted) => status == InForceStatus && !deleted;

    /// <summary>The last days in force that count as "expiring within <paramref name="period"/>" on <paramref name="today"/>:
    /// from today to today + the period, both included.</summary>
    public static (DateOnly First, DateOnly Last) Window(DateOnly today, CalendarPeriod period) => (today, period.After(today));

    /// <summary>In force, and its last day in force falls within <see cref="Window"/>.</summary>
    public static bool IsExpiring(AgreementStatus status, bool deleted, Validity validity, DateOnly today, CalendarPeriod period)
    {
        var (first, last) = Window(today, period);
        return IsInForce(status, deleted) && validity.Until is { } end && end >= first && end <= last;
    }

    /// <summary>
    /// The reminder due on <paramref name="today"/> for an agreement in force whose last day is <paramref name="endsOn"/>:
    /// the nearest threshold whose day has come (ends on − days ≤ today), until the end has passed. A reminder whose day
    /// was missed (the service was down, the agreement was made late) is due late rather than never; of several missed,
    /// only the nearest is sent (the farther ones are <paramref name="superseded"/>: they would only say less).
    /// </summary>
    public static int? DueReminder(DateOnly endsOn, DateOnly today, IEnumerable<int> thresholds, out IReadOnlyList<int> superseded)
    {
        superseded = [];
        if (today > endsOn)
        {
            return null;
        }

        var due = thresholds.Where(days => days >= 0 && endsOn.DayNumber - days <= today.DayNumber).Order().ToList();
        if (due.Count == 0)
        {
            return null;
        }

        superseded = due[1..];
        return due[0];
    }
}
