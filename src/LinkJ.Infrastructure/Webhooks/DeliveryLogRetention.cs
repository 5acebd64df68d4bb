using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>
/// Forgets old entries of the delivery log, run by the maintenance job on every replica: deliveries that are over
/// (<c>succeeded</c> or <c>failed</c>) and whose last attempt (or, never tried, whose queuing) is older than
/// <see cref="WebhookOptions.DeliveryRetention"/>. Pending deliveries are the queue, never the log: a disabled
/// subscription keeps what is still queued however old it is (<c>PATCH {"enabled":true}</c> resumes it).
/// </summary>
/// <remarks>
/// Each statement deletes at most <see cref="WebhookOptions.DeliveryPurgeBatch"/> rows in its own short transaction, so a
/// large backlog never holds many locks or a long transaction; the rows are found by the partial index
/// <c>ix_webhook_deliveries_created_at</c> (finished deliveries by <c>created_at</c>: a delivery is tried after it is queued,
/// so an old last attempt means an old row). Rows another replica is deleting at that moment are
/// skipped (<c>FOR UPDATE SKIP LOCKED</c>), so two replicas running the job at once neither wait on each other nor delete
/// anything twice. The dispatcher changes pending rows only, so it never meets a row being purged. The retention is at
/// least the retry window (validated at start-up): a subscription disabled after 3 days of failures still has every
/// failed delivery to list and redeliver.
/// </remarks>
public sealed class DeliveryLogRetention(NpgsqlDataSource dataSource, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>Deletes the expired entries in batches; returns how many rows were deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var before = time.GetUtcNow() - settings.DeliveryRetention;
        var purged = 0;
        int batch;
        do
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM webhook_deliveries WHERE id IN (
                    SELECT id FROM webhook_deliveries
                    WHERE status <> 'pending' AND created_at < @before AND (last_attempt_at IS NULL OR last_attempt_at < @before)
                    LIMIT @batch
                    FOR UPDATE SKIP LOCKED)
                """);
            command.Parameters.AddWithValue("before", before);
            command.Parameters.AddWithValue("batch", settings.DeliveryPurgeBatch);
            batch = await command.ExecuteNonQueryAsync(cancellationToken);
            purged += batch;
        }
        while (batch == settings.DeliveryPurgeBatch);

        return purged;
    }
}
