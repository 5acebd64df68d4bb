using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Webhooks;
using LinkJ.Application.Abstractions;
using LinkJ.Infrastructure.Maintenance;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StandardWebhooks;

namespace LinkJ.Api.IntegrationTests.Reminders;

/// <summary>
/// Issue 18, item 7: <c>agreement.expiring</c> is sent by the maintenance job once per agreement at 90, 30 and 7 days
/// before its last day, late (once) when its day was missed, never twice when replicas run the job at once; through the
/// webhook delivery path (a real receiver on loopback, signed).
/// </summary>
public sealed class ExpiryReminderTests(ApiFactory factory) : ReminderTest(factory)
{
    private WebhookHost Replica(MovableClock clock) =>
        new WebhookHost(Factory, services: services => services.AddSingleton<IClock>(clock)).Start();

    private static Task RunMaintenanceAsync(WebhookHost host) =>
        host.Services.GetRequiredService<MaintenanceService>().RunOnceAsync(CancellationToken.None);

    private static List<JsonNode> RemindersOf(WebhookReceiver receiver, string agreementId) =>
        [.. receiver.Received.GroupBy(r => r.MessageId).Select(g => Payload(g.First()))
            .Where(p => p["type"]!.GetValue<string>() == "agreement.expiring" && p["data"]!["id"]!.GetValue<string>() == agreementId)];

    private async Task<long> QueuedAsync(string agreementId)
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM webhook_deliveries WHERE event_type = 'agreement.expiring' AND payload::jsonb -> 'data' ->> 'id' = @id", connection);
        command.Parameters.AddWithValue("id", agreementId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Remind_WhenAnAgreementReachesEachThreshold_ShouldSendAgreementExpiringOnceAtEach()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await SubscribeAsync(receiver.UrlFor(), "agreement.expiring");
        var endsOn = TodayInJapan.AddDays(200);
        var id = await CreateEndingAsync(await CreateKeyAsync("agreements:write"), endsOn);
        var clock = new MovableClock(endsOn.AddDays(-95));
        using var host = Replica(clock);

        await RunMaintenanceAsync(host);
        Assert.Equal(0, await QueuedAsync(id)); // 95 days before: nothing due yet

        foreach (var (days, expected) in new[] { (90, 1), (30, 2), (7, 3) })
        {
            clock.Today = endsOn.AddDays(-days);
            await RunMaintenanceAsync(host);
            await RunMaintenanceAsync(host); // a second round the same day sends nothing more
            await receiver.WaitForAsync(_ => RemindersOf(receiver, id).Count >= expected, $"the {days}-day reminder");
            Assert.Equal(expected, await QueuedAsync(id));
        }

        clock.Today = endsOn.AddDays(-6);
        await RunMaintenanceAsync(host);
        await Task.Delay(500);
        var reminders = RemindersOf(receiver, id);
        Assert.Equal([90, 30, 7], reminders.Select(r => r["data"]!["daysBefore"]!.GetValue<int>()));
        Assert.All(reminders, r => Assert.Equal(Iso(endsOn), r["data"]!["endsOn"]!.GetValue<string>()));
        Assert.All(reminders, r => Assert.Equal(id, r["data"]!["resource"]!["id"]!.GetValue<string>()));
        Assert.All(reminders, r => Assert.Equal(Iso(endsOn), r["data"]!["resource"]!["validity"]!["until"]!.GetValue<string>()));
        // The same path as the feed's events: signed, logged, with the envelope's type and timestamp.
        var first = receiver.Received.First(r => Payload(r)["data"]!["id"]!.GetValue<string>() == id);
        new StandardWebhook(secret).Verify(first.Body, first.Headers);
        Assert.NotNull(Payload(first)["timestamp"]);
        Assert.Equal(3, await QueuedAsync(id));
    }

    [Fact]
    public async Task Remind_WhenTheReminderDayWasMissed_ShouldSendTheNearestOneLateAndOnlyOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhookId, _) = await SubscribeAsync(receiver.UrlFor(), "agreement.expiring");
        var endsOn = TodayInJapan.AddDays(150);
        var id = await CreateEndingAsync(await CreateKeyAsync("agreements:write"), endsOn);
        // The replica was down on the 90- and the 30-day mark: it comes back 20 days before the end.
        var clock = new MovableClock(endsOn.AddDays(-20));
        using var host = Replica(clock);

        await RunMaintenanceAsync(host);
        await RunMaintenanceAsync(host);
        await receiver.WaitForAsync(_ => RemindersOf(receiver, id).Count >= 1, "the late reminder");
        clock.Today = endsOn.AddDays(-19);
        await RunMaintenanceAsync(host);
        await Task.Delay(500);

        var late = Assert.Single(RemindersOf(receiver, id));
        Assert.Equal(30, late["data"]!["daysBefore"]!.GetValue<int>());
        Assert.Equal(1, await QueuedAsync(id));
        await WaitForDeliveriesAsync(webhookId, d => d.Any(x => x!["eventType"]!.GetValue<string>() == "agreement.expiring"
                                                               && x["status"]!.GetValue<string>() == "succeeded"), "logged as succeeded");

        clock.Today = endsOn.AddDays(-7);
        await RunMaintenanceAsync(host);
        await receiver.WaitForAsync(_ => RemindersOf(receiver, id).Count >= 2, "the 7-day reminder");
        clock.Today = endsOn.AddDays(1); // ended: expired by the same job, no reminder
        await RunMaintenanceAsync(host);
        await Task.Delay(300);
        Assert.Equal([30, 7], RemindersOf(receiver, id).Select(r => r["data"]!["daysBefore"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Remind_WhenTheAgreementIsNotInForce_ShouldSendNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await SubscribeAsync(receiver.UrlFor(), "agreement.expiring");
        var key = await CreateKeyAsync("agreements:write");
        var endsOn = TodayInJapan.AddDays(60);
        var draft = await CreateEndingAsync(key, endsOn, status: "draft");
        var open = await CreateEndingAsync(key, null);
        using var host = Replica(new MovableClock(endsOn.AddDays(-7)));

        await RunMaintenanceAsync(host);

        Assert.Equal(0, await QueuedAsync(draft));
        Assert.Equal(0, await QueuedAsync(open));
    }

    [Fact]
    public async Task Remind_WhenTwoReplicasRunTheJobAtOnce_ShouldQueueAndSendEachReminderOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await SubscribeAsync(receiver.UrlFor("a"), "agreement.expiring");
        await SubscribeAsync(receiver.UrlFor("b"), "agreement.expiring");
        var key = await CreateKeyAsync("agreements:write");
        var endsOn = TodayInJapan.AddDays(120);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await CreateEndingAsync(key, endsOn.AddDays(i % 3), titleEn: $"Raced {i}"));
        }

        var clock = new MovableClock(endsOn.AddDays(-29));
        using var one = Replica(clock);
        using var two = Replica(clock);

        // Both replicas' jobs, several rounds each, all at once.
        await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => new[] { RunMaintenanceAsync(one), RunMaintenanceAsync(two) }));

        foreach (var id in ids)
        {
            Assert.Equal(2, await QueuedAsync(id)); // one per subscription
        }

        await receiver.WaitForAsync(r => ids.All(id => RemindersOf(receiver, id).Count == 2), "every reminder at both receivers", seconds: 30);
        await Task.Delay(500);
        foreach (var path in new[] { "/a", "/b" })
        {
            var atPath = receiver.Received.Where(r => r.Path == path).Select(Payload)
                .Where(p => ids.Contains(p["data"]!["id"]!.GetValue<string>())).ToList();
            Assert.Equal(ids.Order(), atPath.Select(p => p["data"]!["id"]!.GetValue<string>()).Order());
        }
    }
}
