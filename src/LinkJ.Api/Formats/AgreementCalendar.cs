using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LinkJ.Application.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Api.Formats;

/// <summary>
/// The agreements in force as an iCalendar feed (RFC 5545, ADR 0036): an all-day event on each agreement's last day in
/// force and one on each reminder day before it, summaries in the negotiated language. UIDs are the agreement's id and
/// the event's kind, so a calendar that subscribes moves an event when a date changes instead of adding another;
/// DTSTAMP is the agreement's last change and SEQUENCE its version, so the same data gives the same bytes.
/// </summary>
public static class AgreementCalendar
{
    public const string MediaType = "text/calendar";

    public static byte[] Write(IReadOnlyList<AgreementDto> agreements, IReadOnlyList<int> reminderDays, Language language, Http.PublicBaseUrl baseUrl)
    {
        var english = language == Language.English;
        var calendar = new Ical.Net.Calendar { ProductId = "-//LINK-J//LinkJ.Api//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", english ? "LINK-J agreement ends" : "LINK-J 提携の終了");
        calendar.AddProperty("X-WR-TIMEZONE", "Asia/Tokyo");
        foreach (var agreement in agreements)
        {
            if (agreement.Validity.Until is not { } endsOn)
            {
                continue;
            }

            var who = agreement.Localized.PartnerName;
            var title = agreement.Localized.Title;
            var link = baseUrl.Of("/api/v1/agreements/" + agreement.Id, default);
            calendar.Events.Add(Event(agreement, "end", endsOn,
                english ? $"Agreement with {who} ends: {title}" : $"{who}との提携の終了日: {title}", link, english));
            foreach (var days in reminderDays.Distinct().Order())
            {
                calendar.Events.Add(Event(agreement, $"reminder-{days}d", endsOn.AddDays(-days),
                    english ? $"{days} days until the agreement with {who} ends: {title}" : $"{who}との提携の終了まで{days}日: {title}", link, english));
            }
        }

        var text = new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>A strong ETag of the bytes: the same calendar, the same tag, on any replica.</summary>
    public static string ETagOf(byte[] body) =>
        "\"cal." + Convert.ToBase64String(SHA256.HashData(body), 0, 15).Replace('+', '-').Replace('/', '_') + "\"";

    private static CalendarEvent Event(AgreementDto agreement, string kind, DateOnly day, string summary, string link, bool english) => new()
    {
        Uid = $"agreement-{agreement.Id}-{kind}@linkj-api",
        Summary = summary,
        Description = (english ? "Last day in force: " : "有効期間の最終日: ") + agreement.Validity.Until!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DtStart = new CalDateTime(day),
        DtEnd = new CalDateTime(day.AddDays(1)),
        DtStamp = new CalDateTime(agreement.UpdatedAt.UtcDateTime, CalDateTime.UtcTzId),
        Sequence = agreement.Version,
        Url = new Uri(link),
        Transparency = TransparencyType.Transparent,
    };
}
