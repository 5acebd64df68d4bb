using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Reminders;

/// <summary>Issue 18, item 8: GET /api/v1/agreements/calendar.ics, subscribable with a per-key feed token.</summary>
public sealed class CalendarTests(ApiFactory factory) : ReminderTest(factory)
{
    /// <summary>The feed token as a key holder computes it (docs/webhooks.md): HMAC-SHA256 keyed with the key's SHA-256.</summary>
    private static string FeedToken(string key) =>
        $"ljcal_{key.Split('_')[1]}_{Convert.ToHexStringLower(HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(key)), "linkj calendar feed v1"u8))}";

    private async Task<(HttpResponseMessage Response, string Body)> GetCalendarAsync(string query, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements/calendar.ics?" + query);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        var response = await Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetCalendar_WhenTheTokenIsValid_ShouldListEachEndAndReminderDayWithStableUids()
    {
        var key = await CreateKeyAsync("agreements:write");
        var endsOn = TodayInJapan.AddDays(100);
        var id = await CreateEndingAsync(key, endsOn, titleEn: "Calendar MOU");
        var draft = await CreateEndingAsync(key, endsOn, status: "draft", titleEn: "Calendar draft");

        var (response, body) = await GetCalendarAsync($"token={FeedToken(key)}&lang=en");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.True(response.Headers.CacheControl is { Private: true, NoCache: true }, response.Headers.CacheControl?.ToString());
        var calendar = Calendar.Load(body)!;
        var ours = calendar.Events.Where(e => e.Uid!.Contains(id, StringComparison.Ordinal)).ToDictionary(e => e.Uid!);
        Assert.Equal(
            new[] { "end", "reminder-7d", "reminder-30d", "reminder-90d" }.Select(kind => $"agreement-{id}-{kind}@linkj-api").Order(),
            ours.Keys.Order());
        Assert.Equal(endsOn, DateOnly.FromDateTime(ours[$"agreement-{id}-end@linkj-api"].DtStart!.Value));
        Assert.Equal(endsOn.AddDays(-30), DateOnly.FromDateTime(ours[$"agreement-{id}-reminder-30d@linkj-api"].DtStart!.Value));
        Assert.False(ours[$"agreement-{id}-end@linkj-api"].DtStart!.HasTime); // all-day
        Assert.Contains("Calendar MOU", ours[$"agreement-{id}-end@linkj-api"].Summary, StringComparison.Ordinal);
        Assert.StartsWith("Agreement with ", ours[$"agreement-{id}-end@linkj-api"].Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(calendar.Events, e => e.Uid!.Contains(draft, StringComparison.Ordinal));

        // The same data: the same bytes and ETag; a change: the same UIDs, a new ETag.
        var (again, againBody) = await GetCalendarAsync($"token={FeedToken(key)}&lang=en");
        Assert.Equal(body, againBody);
        Assert.Equal(response.Headers.ETag!.Tag, again.Headers.ETag!.Tag);
        await RetitleAsync(key, id, "\"v1\"", "Calendar MOU renamed");
        var (changed, changedBody) = await GetCalendarAsync($"token={FeedToken(key)}&lang=en");
        Assert.NotEqual(response.Headers.ETag!.Tag, changed.Headers.ETag!.Tag);
        Assert.Equal(ours.Keys.Order(), Calendar.Load(changedBody)!.Events.Where(e => e.Uid!.Contains(id, StringComparison.Ordinal)).Select(e => e.Uid!).Order());
    }

    [Fact]
    public async Task GetCalendar_WhenLangIsJa_ShouldWriteJapaneseSummaries()
    {
        var key = await CreateKeyAsync("agreements:write");
        var id = await CreateEndingAsync(key, TodayInJapan.AddDays(40));

        var (ja, jaBody) = await GetCalendarAsync($"token={FeedToken(key)}&lang=ja");
        var (en, enBody) = await GetCalendarAsync($"token={FeedToken(key)}&lang=en");

        Assert.Equal(HttpStatusCode.OK, ja.StatusCode);
        var end = Calendar.Load(jaBody)!.Events.Single(e => e.Uid == $"agreement-{id}-end@linkj-api");
        Assert.Contains("提携の終了日", end.Summary, StringComparison.Ordinal);
        Assert.Contains("大阪府", end.Summary, StringComparison.Ordinal);
        Assert.Equal("ja", ja.Content.Headers.ContentLanguage.Single());
        Assert.Equal("en", en.Content.Headers.ContentLanguage.Single());
        Assert.NotEqual(ja.Headers.ETag!.Tag, en.Headers.ETag!.Tag);
        Assert.Contains("X-WR-CALNAME:LINK-J agreement ends", enBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCalendar_WhenIfNoneMatchIsTheCurrentETag_ShouldReturn304()
    {
        var key = await CreateKeyAsync("sync:read");
        var (first, _) = await GetCalendarAsync($"token={FeedToken(key)}");

        var (second, body) = await GetCalendarAsync($"token={FeedToken(key)}", first.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(body);
        Assert.Equal(first.Headers.ETag!.Tag, second.Headers.ETag!.Tag);
        var (stale, _) = await GetCalendarAsync($"token={FeedToken(key)}", "\"cal.stale\"");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }

    [Fact]
    public async Task GetCalendar_WhenTheTokenIsMissingWrongOrRevoked_ShouldReturn401ProblemAndNeverLogTheToken()
    {
        var key = await CreateKeyAsync("agreements:write");
        var revoked = await CreateKeyAsync("sync:read");
        var revokedToken = FeedToken(revoked);
        await RevokeAsync(revoked);
        var token = FeedToken(key);
        var wrong = token[..^4] + (token[^4..] == "0000" ? "1111" : "0000");

        foreach (var query in new[] { string.Empty, $"token={wrong}", $"token={revokedToken}" })
        {
            using var response = await Client.GetAsync("/api/v1/agreements/calendar.ics?" + query);
            var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
            Assert.DoesNotContain("ljcal_", problem.ToJsonString(), StringComparison.Ordinal);
        }

        // Not a feed token at all (the API key itself among them): a 400 naming the parameter, never echoing it.
        foreach (var query in new[] { "token=", $"token={key}", "token=ljcal_zz" })
        {
            using var response = await Client.GetAsync("/api/v1/agreements/calendar.ics?" + query);
            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation.failed");
            Assert.Equal(["token"], problem.ErrorFields());
            Assert.DoesNotContain(key, problem.ToJsonString(), StringComparison.Ordinal);
        }

        var (ok, _) = await GetCalendarAsync($"token={token}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.DoesNotContain(Factory.Logs.Lines, line => line.Contains(token[^64..], StringComparison.Ordinal) || line.Contains(wrong[^64..], StringComparison.Ordinal));
    }
}
