using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Reminders;

/// <summary>GET /api/v1/agreements?expiringWithin=P90D: agreements in force whose last day is between today and today + the period.</summary>
public sealed class ExpiringWithinTests(ApiFactory factory) : ReminderTest(factory)
{
    private static List<string> Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    [Fact]
    public async Task ListAgreements_WhenExpiringWithinIsGiven_ShouldReturnOnlyAgreementsInForceEndingInTheWindow()
    {
        var key = await CreateKeyAsync("agreements:write");
        var today = TodayInJapan;
        var endsToday = await CreateEndingAsync(key, today, titleEn: "Ends today");
        var inTenDays = await CreateEndingAsync(key, today.AddDays(10), titleEn: "Ten days");
        var inHundredDays = await CreateEndingAsync(key, today.AddDays(100), titleEn: "Hundred days");
        var draft = await CreateEndingAsync(key, today.AddDays(10), status: "draft", titleEn: "Draft");
        var openEnded = await CreateEndingAsync(key, null, titleEn: "Open");
        var ended = await CreateEndingAsync(key, today.AddDays(-1), titleEn: "Ended yesterday");

        var within30 = Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P30D&limit=100"));
        Assert.Contains(endsToday, within30);
        Assert.Contains(inTenDays, within30);
        Assert.DoesNotContain(inHundredDays, within30);
        Assert.DoesNotContain(draft, within30);
        Assert.DoesNotContain(openEnded, within30);
        Assert.DoesNotContain(ended, within30);
        Assert.All((await GetJsonAsync("/api/v1/agreements?expiringWithin=P30D&limit=100"))["items"]!.AsArray(), item =>
        {
            Assert.Equal("active", item!["status"]!.GetValue<string>());
            var until = DateOnly.Parse(item["validity"]!["until"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(until, today, today.AddDays(30));
        });

        Assert.Contains(inHundredDays, Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P4M&limit=100")));
        Assert.DoesNotContain(inTenDays, Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P1W&limit=100")));
        Assert.Contains(inTenDays, Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P2W&limit=100")));
        Assert.Equal([endsToday], Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P0D&limit=100")).Where(id => id == endsToday || id == inTenDays));
        // With the other filters: they narrow it further.
        Assert.Empty(Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P1Y&status=draft")));
        Assert.Empty(Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P1Y&country=US")));
        Assert.Contains(inTenDays, Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P1Y&country=JP&partnerKind=local-government&q=Ten")));
    }

    [Fact]
    public async Task ListAgreements_WhenExpiringWithinPagesWithACursor_ShouldKeepTheFilterOnEveryPage()
    {
        var key = await CreateKeyAsync("agreements:write");
        var created = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            created.Add(await CreateEndingAsync(key, TodayInJapan.AddDays(i * 5), titleEn: $"Paged {i}"));
        }

        await CreateEndingAsync(key, TodayInJapan.AddDays(400), titleEn: "Far");
        var seen = new List<string>();
        var url = "/api/v1/agreements?expiringWithin=P3M&limit=1";
        for (var pages = 0; url is not null && pages < 50; pages++)
        {
            var page = await GetJsonAsync(url);
            seen.AddRange(Ids(page));
            url = page["next"] is JsonValue next ? $"/api/v1/agreements?expiringWithin=P3M&limit=1&cursor={Uri.EscapeDataString(next.GetValue<string>())}" : null;
        }

        Assert.Null(url);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.All(created, id => Assert.Contains(id, seen));
        Assert.Equal(Ids(await GetJsonAsync("/api/v1/agreements?expiringWithin=P3M&limit=100")), seen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("90D")]
    [InlineData("P90")]
    [InlineData("PT12H")]
    [InlineData("P1DT12H")]
    [InlineData("P-1D")]
    [InlineData("P1.5M")]
    [InlineData("P11Y")]
    [InlineData("P99999D")]
    [InlineData("P3D1M")]
    [InlineData("p90d")]
    public async Task ListAgreements_WhenExpiringWithinIsNotAPeriodOfDays_ShouldReturn400NamingIt(string value)
    {
        var before = await SnapshotAsync();
        var problem = await GetProblemAsync($"/api/v1/agreements?expiringWithin={Uri.EscapeDataString(value)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.Equal(["expiringWithin"], problem.ErrorFields());
        Assert.Contains("P90D", problem["errors"]!["expiringWithin"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ListAgreements_WhenExpiringWithinIsRepeated_ShouldAnswerFromTheCacheWithTheSameETag()
    {
        using var first = await Client.GetAsync("/api/v1/agreements?expiringWithin=P90D");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements?expiringWithin=P90D");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.Tag);
        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.StartsWith("public", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        using var other = await Client.GetAsync("/api/v1/agreements?expiringWithin=P30D");
        Assert.NotEqual(first.Headers.ETag!.Tag, other.Headers.ETag!.Tag);
    }
}
