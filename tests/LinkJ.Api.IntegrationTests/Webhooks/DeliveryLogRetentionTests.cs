using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.Maintenance;
using LinkJ.Infrastructure.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>
/// The delivery log is purged by the maintenance job (ADR 0046): finished deliveries whose last attempt is older than
/// Webhooks:DeliveryRetention go, in bounded batches; recent ones and everything still queued stay; replicas purging at
/// once delete each row once.
/// </summary>
public sealed class DeliveryLogRetentionTests(ApiFactory factory) : WebhookTest(factory)
{
    /// <summary>A disabled subscription: the dispatcher leaves its rows alone, so they are only what the test writes.</summary>
    private async Task<string> DisabledSubscriptionAsync()
    {
        var (id, _) = await SubscribeAsync("https://receiver.example/hooks/" + Guid.NewGuid().ToString("N"), "agreement.created");
        await ManageAsync(HttpMethod.Patch, $"/api/v1/webhooks/{id}", new { enabled = false });
        return id;
    }

    /// <summary>Writes a delivery created <paramref name="createdDaysAgo"/> days ago, last tried <paramref name="triedDaysAgo"/> days ago.</summary>
    private async Task<Guid> InsertAsync(string subscriptionId, string status, double createdDaysAgo, double? triedDaysAgo)
    {
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO webhook_deliveries (id, subscription_id, message_id, event_type, payload, status, attempts, next_attempt_at, last_attempt_at, created_at)
            VALUES (@id, @subscription, @message, 'webhook.ping', @payload, @status, @attempts, @created, @tried, @created)
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("subscription", Guid.Parse(subscriptionId));
        command.Parameters.AddWithValue("message", "msg_" + id.ToString("N"));
        command.Parameters.AddWithValue("payload", "{\"type\":\"webhook.ping\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"webhookId\":\"" + subscriptionId + "\"}}");
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("attempts", triedDaysAgo is null ? 0 : 1);
        command.Parameters.AddWithValue("created", now.AddDays(-createdDaysAgo));
        command.Parameters.AddWithValue("tried", triedDaysAgo is { } days ? now.AddDays(-days) : DBNull.Value);
        await command.ExecuteNonQueryAsync();
        return id;
    }

    private async Task<long> CountAsync(string subscriptionId)
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(subscriptionId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private DeliveryLogRetention Retention(int batch) => new(
        Factory.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System,
        Options.Create(new WebhookOptions { DeliveryPurgeBatch = batch }));

    [Fact]
    public async Task RunOnce_WhenFinishedDeliveriesAreOlderThanTheRetention_ShouldDeleteThemAndKeepRecentAndQueuedOnes()
    {
        var subscription = await DisabledSubscriptionAsync();
        var oldSuccess = await InsertAsync(subscription, "succeeded", 31, 31);
        var oldFailure = await InsertAsync(subscription, "failed", 45, 40);
        var retriedLately = await InsertAsync(subscription, "failed", 45, 2); // created long ago, last tried 2 days ago
        var recent = await InsertAsync(subscription, "succeeded", 1, 1);
        var queued = await InsertAsync(subscription, "pending", 60, null); // a disabled subscription's queue, never tried

        await Factory.Services.GetRequiredService<MaintenanceService>().RunOnceAsync(CancellationToken.None);

        var log = (await DeliveriesAsync(subscription)).Select(d => Guid.Parse(d!["id"]!.GetValue<string>())).ToList();
        Assert.Equal(new[] { retriedLately, recent, queued }.Order(), log.Order());
        Assert.DoesNotContain(oldSuccess, log);
        Assert.DoesNotContain(oldFailure, log);
        // What the log still lists can be redelivered.
        await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{subscription}/deliveries/{retriedLately}/redeliver", expected: HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Purge_WhenAFailedDeliveryIsWithinTheRetryWindow_ShouldKeepItForRedelivery()
    {
        var subscription = await DisabledSubscriptionAsync();
        // Failing for 3 days disables a subscription: its last failures are at most that old, and must stay redeliverable.
        var lastFailure = await InsertAsync(subscription, "failed", 3, 3);

        await Retention(batch: 10).PurgeAsync(CancellationToken.None);

        await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{subscription}/deliveries/{lastFailure}/redeliver", expected: HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Purge_WhenReplicasPurgeAtOnce_ShouldDeleteEveryOldRowOnceInBatches()
    {
        var subscription = await DisabledSubscriptionAsync();
        await Retention(batch: 1000).PurgeAsync(CancellationToken.None); // nothing old of other tests left over
        const int Old = 230;
        for (var i = 0; i < Old; i++)
        {
            await InsertAsync(subscription, i % 2 == 0 ? "succeeded" : "failed", 40 + (i % 7), 35 + (i % 5));
        }

        var kept = await InsertAsync(subscription, "succeeded", 29, 29);

        // Four replicas' jobs at once, each deleting 20 rows a statement.
        var purged = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Retention(batch: 20).PurgeAsync(CancellationToken.None))));

        Assert.Equal(Old, purged.Sum());
        Assert.Equal(1, await CountAsync(subscription));
        var log = await DeliveriesAsync(subscription);
        Assert.Equal(kept, Guid.Parse(Assert.Single(log)!["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("2.00:00:00", "Webhooks:DeliveryRetention")]
    [InlineData("30.00:00:00", null)]
    public void Options_WhenTheRetentionIsShorterThanTheRetryWindow_ShouldBeRefused(string retention, string? refused)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:DeliveryRetention"] = retention })
            .Build();
        using var provider = new ServiceCollection().AddWebhooks(configuration).BuildServiceProvider();

        var failure = Record.Exception(() => provider.GetRequiredService<IOptions<WebhookOptions>>().Value);

        if (refused is null)
        {
            Assert.Null(failure);
        }
        else
        {
            Assert.Contains(refused, Assert.IsType<OptionsValidationException>(failure).Message);
        }
    }
}
