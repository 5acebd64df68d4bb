using System.Globalization;
using System.Text.Json.Nodes;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Webhooks;
using LinkJ.Domain.Agreements;
using Npgsql;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>
/// Queues <c>agreement.expiring</c> events (ADR 0036), run by the maintenance job on every replica. For each agreement in
/// force whose reminder is due (<see cref="Expiry.DueReminder"/>: 90, 30 and 7 days before its last day by default,
/// late rather than never) it inserts the reminder's row and, in the same transaction, one delivery per subscription that
/// wants the event. The row's primary key (agreement, last day, threshold) is the claim: a second replica's insert of
/// the same row waits for the first's commit and then inserts nothing, so it queues nothing; a round that fails rolls
/// both back and the next one does it again. Deliveries then go out as any other (dispatcher, signature, retries, log).
/// </summary>
public sealed class ExpiryReminders(NpgsqlDataSource dataSource, IClock clock, IWebhookResourceReader resources, IReminderSchedule schedule)
{
    private const int Batch = 200;

    /// <summary>Queues the reminders due today; returns how many reminders (not deliveries) were queued.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var thresholds = schedule.Days.ToArray();
        var today = clock.TodayInJapan;
        var subscribers = await SubscribersAsync(cancellationToken);
        if (subscribers.Count == 0 || thresholds.Length == 0)
        {
            return 0; // a reminder is recorded only when someone is told: a new subscription hears of those due from then on
        }

        var queued = 0;
        DateOnly? after = null;
        Guid lastId = Guid.Empty;
        while (true)
        {
            var candidates = await CandidatesAsync(today, thresholds.Max(), after, lastId, cancellationToken);
            foreach (var (id, endsOn, recorded) in candidates)
            {
                if (Expiry.DueReminder(endsOn, today, thresholds, out var superseded) is not { } days
                    || recorded.Any(r => r <= days))
                {
                    continue;
                }

                if (await QueueAsync(id, endsOn, days, superseded, subscribers, cancellationToken))
                {
                    queued++;
                }
            }

            if (candidates.Count < Batch)
            {
                return queued;
            }

            (after, lastId) = (candidates[^1].EndsOn, candidates[^1].Id);
        }
    }

    private async Task<List<Guid>> SubscribersAsync(CancellationToken cancellationToken)
    {
        // Disabled ones too: like the feed's events, what is queued waits for PATCH {"enabled":true}.
        await using var command = dataSource.CreateCommand("SELECT id FROM webhook_subscriptions WHERE @type = ANY (event_types) ORDER BY id");
        command.Parameters.AddWithValue("type", WebhookEventTypes.AgreementExpiring);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Agreements in force whose last day is within the largest threshold, with the thresholds already recorded for it.</summary>
    private async Task<List<(Guid Id, DateOnly EndsOn, int[] Recorded)>> CandidatesAsync(
        DateOnly today, int maxDays, DateOnly? after, Guid lastId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.id, a.valid_until,
                   ARRAY(SELECT r.days_before FROM agreement_reminders r WHERE r.agreement_id = a.id AND r.ends_on = a.valid_until)
            FROM agreements a
            WHERE a.status = @status AND a.deleted_at IS NULL AND a.valid_until BETWEEN @today AND @last
              AND (@after::date IS NULL OR (a.valid_until, a.id) > (@after::date, @lastId))
            ORDER BY a.valid_until, a.id LIMIT @batch
            """);
        command.Parameters.AddWithValue("status", WireName(Expiry.InForceStatus));
        command.Parameters.AddWithValue("today", today);
        command.Parameters.AddWithValue("last", today.AddDays(maxDays));
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlTypes.NpgsqlDbType.Date) { Value = (object?)after ?? DBNull.Value });
        command.Parameters.AddWithValue("lastId", lastId);
        command.Parameters.AddWithValue("batch", Batch);
        var rows = new List<(Guid, DateOnly, int[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<int[]>(2)));
        }

        return rows;
    }

    /// <summary>Claims the reminder and queues its deliveries in one transaction; false when it was claimed already
    /// (another replica, an earlier round) or the agreement has left force or changed its last day since it was read.</summary>
    private async Task<bool> QueueAsync(Guid id, DateOnly endsOn, int days, IReadOnlyList<int> superseded, List<Guid> subscribers, CancellationToken cancellationToken)
    {
        var resource = await resources.ReadAsync("agreement", id, cancellationToken);
        if (resource is null)
        {
            return false;
        }

        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["type"] = WebhookEventTypes.AgreementExpiring,
            ["timestamp"] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["data"] = new JsonObject
            {
                ["resourceType"] = "agreement",
                ["id"] = id.ToString(),
                ["version"] = resource["version"]?.DeepClone(),
                ["daysBefore"] = days,
                ["endsOn"] = endsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["resource"] = resource,
            },
        }.ToJsonString();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand("""
            INSERT INTO agreement_reminders (agreement_id, ends_on, days_before, outcome, recorded_at)
            SELECT @id, @ends, @days, @queued, now() FROM agreements a
            WHERE a.id = @id AND a.status = @status AND a.deleted_at IS NULL AND a.valid_until = @ends
            ON CONFLICT DO NOTHING
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("id", id);
            claim.Parameters.AddWithValue("ends", endsOn);
            claim.Parameters.AddWithValue("days", days);
            claim.Parameters.AddWithValue("queued", AgreementReminder.Queued);
            claim.Parameters.AddWithValue("status", WireName(Expiry.InForceStatus));
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var skip = new NpgsqlCommand("""
            INSERT INTO agreement_reminders (agreement_id, ends_on, days_before, outcome, recorded_at)
            SELECT @id, @ends, d, @superseded, now() FROM unnest(@days) d
            ON CONFLICT DO NOTHING
            """, connection, transaction))
        {
            skip.Parameters.AddWithValue("id", id);
            skip.Parameters.AddWithValue("ends", endsOn);
            skip.Parameters.AddWithValue("days", superseded.ToArray());
            skip.Parameters.AddWithValue("superseded", AgreementReminder.Superseded);
            await skip.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var subscription in subscribers)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO webhook_deliveries (id, subscription_id, message_id, event_type, position, payload, status, attempts, next_attempt_at, created_at)
                SELECT @delivery, s.id, @msg, @type, NULL, @payload, 'pending', 0, now(), now() FROM webhook_subscriptions s WHERE s.id = @sub
                """, connection, transaction);
            insert.Parameters.AddWithValue("delivery", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("sub", subscription);
            insert.Parameters.AddWithValue("msg", WebhookAdmin.NewMessageId());
            insert.Parameters.AddWithValue("type", WebhookEventTypes.AgreementExpiring);
            insert.Parameters.AddWithValue("payload", payload);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static string WireName(AgreementStatus status) => LinkJ.Application.Common.WireEnum.ToWire(status);
}
