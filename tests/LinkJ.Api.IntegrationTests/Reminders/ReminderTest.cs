using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Webhooks;
using LinkJ.Application.Abstractions;

namespace LinkJ.Api.IntegrationTests.Reminders;

/// <summary>Helpers of the reminder tests (issue 18, items 7–8): agreements with a last day relative to today in Japan.</summary>
public abstract class ReminderTest(ApiFactory factory) : WebhookTest(factory)
{
    /// <summary>Today in Japan, as the service counts it.</summary>
    protected static DateOnly TodayInJapan => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));

    protected static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates an agreement with Osaka Prefecture in force from 2025-09-07 until <paramref name="until"/> (null: open-ended).</summary>
    protected async Task<string> CreateEndingAsync(string key, DateOnly? until, string status = "active", string titleEn = "Ending MOU")
    {
        var body = new
        {
            partnerId = await PartnerIdAsync(),
            type = "mou",
            title = new { ja = "終了する覚書 " + titleEn, en = titleEn },
            signedOn = "2025-09-07",
            status,
            validity = new { from = "2025-09-07", until = until is { } u ? Iso(u) : null },
            cooperation = new { scopes = new[] { "event-cooperation" }, isOpenEnded = true },
        };
        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }
}

/// <summary>A clock the test moves: the reminder job's "today".</summary>
public sealed class MovableClock(DateOnly today) : IClock
{
    public DateOnly Today { get; set; } = today;

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public DateOnly TodayInJapan => Today;
}
