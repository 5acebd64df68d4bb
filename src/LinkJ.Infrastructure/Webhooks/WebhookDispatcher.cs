using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LinkJ.Application.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>
/// Sends webhooks from the change feed (ADR 0035). Each round it claims subscriptions that have work (changes past their
/// cursor, or a due delivery at the head of their queue) with <c>FOR UPDATE SKIP LOCKED</c> and a lease; for each
/// claimed subscription one task queues the feed's new changes (numbered ones only, in position order: ADR 0030) and
/// sends its deliveries one at a time, in order. One replica holds a subscription at a time; a replica killed mid-way
/// leaves its lease to expire, and the unrecorded attempt is sent again by whoever claims it next (at least once).
/// Subscriptions are worked in parallel, so a slow receiver holds up only its own queue.
/// </summary>
public sealed partial class WebhookDispatcher(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    WebhookSender sender,
    WebhookSecrets secrets,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Task> _working = new();

    /// <summary>This dispatcher's name in the leases it takes.</summary>
    public Guid Owner { get; } = Guid.NewGuid();

    private const string WorkCondition = """
        s.enabled AND (s.lease_until IS NULL OR s.lease_until < now())
        AND (s.feed_cursor < (SELECT coalesce(max(position), 0) FROM changes)
             OR EXISTS (SELECT 1 FROM (SELECT d.next_attempt_at FROM webhook_deliveries d
                                       WHERE d.subscription_id = s.id AND d.status = 'pending' ORDER BY d.seq LIMIT 1) head
                        WHERE head.next_attempt_at <= now()))
        """;

    private const string AnyWorkSql = $"SELECT EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE {WorkCondition})";

    private const string ClaimSql = $"""
        WITH claimable AS (
            SELECT s.id FROM webhook_subscriptions s WHERE {WorkCondition}
            ORDER BY s.lease_until NULLS FIRST LIMIT @n FOR UPDATE SKIP LOCKED)
        UPDATE webhook_subscriptions s SET lease_owner = @owner, lease_until = now() + @lease
        FROM claimable WHERE s.id = claimable.id
        RETURNING s.id
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.DispatcherEnabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunRoundAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(logger, exception);
                }

                await Task.Delay(settings.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_working.Values).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Claims what this replica has room for and starts a task per claimed subscription.</summary>
    public async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var room = options.Value.MaxConcurrentSubscriptions - _working.Count;
        if (room <= 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A read first: with nothing to do the round writes nothing.
        await using (var any = new NpgsqlCommand(AnyWorkSql, connection))
        {
            if (!(bool)(await any.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        var claimed = new List<Guid>();
        await using (var claim = new NpgsqlCommand(ClaimSql, connection))
        {
            claim.Parameters.AddWithValue("n", room);
            claim.Parameters.AddWithValue("owner", Owner);
            claim.Parameters.AddWithValue("lease", options.Value.Lease);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetGuid(0));
            }
        }

        foreach (var id in claimed)
        {
            _working[id] = Task.Run(async () =>
            {
                try
                {
                    await WorkAsync(id, cancellationToken);
                }
                finally
                {
                    _working.TryRemove(id, out _);
                }
            }, CancellationToken.None);
        }
    }

    private sealed record Claimed(string Url, string[] EventTypes, string Secret, string? PreviousSecret, long FeedCursor, DateTimeOffset? FailingSince);

    private sealed record Head(Guid Id, string MessageId, string Payload, int Attempts, bool Due);

    private async Task WorkAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            // Bounded, so that a busy subscription gives its slot back now and then.
            for (var step = 0; step < 100 && !cancellationToken.IsCancellationRequested; step++)
            {
                var subscription = await RenewAsync(id, cancellationToken);
                if (subscription is null)
                {
                    return; // the lease was lost, or the subscription disabled or deleted
                }

                if (await QueueFromFeedAsync(id, subscription, cancellationToken))
                {
                    continue;
                }

                var head = await HeadAsync(id, cancellationToken);
                if (head is not { Due: true })
                {
                    return;
                }

                // During a rotation's overlap the previous secret's signature comes first: the receivers still on it are
                // the ones that have not acted yet, and the .NET StandardWebhooks library (1.1.2) checks only the first
                // signature of the header (ADR 0035).
                var signing = new List<string>();
                if (subscription.PreviousSecret is not null)
                {
                    signing.Add(secrets.Unprotect(subscription.PreviousSecret));
                }

                signing.Add(secrets.Unprotect(subscription.Secret));

                var result = await sender.SendAsync(subscription.Url, head.MessageId, head.Payload, signing, cancellationToken);
                await RecordAsync(id, subscription, head, result, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: an attempt in flight is not recorded, and is sent again.
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            LogWorkFailed(logger, exception, id);
        }
        finally
        {
            await ReleaseAsync(id);
        }
    }

    private async Task<Claimed?> RenewAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_subscriptions SET lease_until = now() + @lease
            WHERE id = @id AND lease_owner = @owner AND enabled
            RETURNING url, event_types, secret,
                      CASE WHEN previous_secret_expires_at > now() THEN previous_secret END, feed_cursor, failing_since
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("owner", Owner);
        command.Parameters.AddWithValue("lease", options.Value.Lease);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new(reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }

    /// <summary>Queues the subscription's events among the next numbered changes past its cursor, and moves the cursor
    /// past them, in one transaction; true when it moved.</summary>
    private async Task<bool> QueueFromFeedAsync(Guid id, Claimed subscription, CancellationToken cancellationToken)
    {
        var changes = new List<(long Position, string ResourceType, Guid ResourceId, int Version, string Operation, DateTimeOffset OccurredAt, string[] Fields, string? EventType)>();
        await using (var read = dataSource.CreateCommand("""
            SELECT position, resource_type, resource_id, version, operation, occurred_at, changed_fields, event_type
            FROM changes WHERE position > @cursor ORDER BY position LIMIT @batch
            """))
        {
            read.Parameters.AddWithValue("cursor", subscription.FeedCursor);
            read.Parameters.AddWithValue("batch", options.Value.FeedBatch);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changes.Add((reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<string[]>(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }

        if (changes.Count == 0)
        {
            return false;
        }

        var deliveries = new List<WebhookDelivery>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var resources = scope.ServiceProvider.GetRequiredService<IWebhookResourceReader>();
            foreach (var change in changes)
            {
                if (!subscription.EventTypes.Any(t => t.StartsWith(change.ResourceType + ".", StringComparison.Ordinal)))
                {
                    continue;
                }

                var resource = change.Operation == "deleted" ? null : await resources.ReadAsync(change.ResourceType, change.ResourceId, cancellationToken);
                // Named when the change was written (ChangeRecord.EventType); only rows older than that are named from the resource now.
                var type = change.EventType ?? WebhookEventTypes.Of(change.ResourceType, change.Operation, change.Fields,
                    resource?["status"]?.GetValue<string>(), resource?["supersedesId"] is JsonValue);
                if (!subscription.EventTypes.Contains(type))
                {
                    continue;
                }

                var payload = new JsonObject
                {
                    ["type"] = type,
                    ["timestamp"] = change.OccurredAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["data"] = new JsonObject
                    {
                        ["position"] = change.Position,
                        ["resourceType"] = change.ResourceType,
                        ["id"] = change.ResourceId.ToString(),
                        ["version"] = change.Version,
                        ["operation"] = change.Operation,
                        ["changedFields"] = new JsonArray([.. change.Fields.Select(f => (JsonNode?)JsonValue.Create(f))]),
                        ["resource"] = resource,
                    },
                };
                deliveries.Add(WebhookAdmin.NewDelivery(id, WebhookAdmin.NewMessageId(), type, change.Position, payload.ToJsonString(), DateTimeOffset.UtcNow));
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var move = new NpgsqlCommand(
            "UPDATE webhook_subscriptions SET feed_cursor = @to WHERE id = @id AND lease_owner = @owner AND feed_cursor = @from", connection, transaction))
        {
            move.Parameters.AddWithValue("to", changes[^1].Position);
            move.Parameters.AddWithValue("from", subscription.FeedCursor);
            move.Parameters.AddWithValue("id", id);
            move.Parameters.AddWithValue("owner", Owner);
            if (await move.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false; // another replica holds it now
            }
        }

        foreach (var delivery in deliveries)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO webhook_deliveries (id, subscription_id, message_id, event_type, position, payload, status, attempts, next_attempt_at, created_at)
                VALUES (@id, @sub, @msg, @type, @position, @payload, 'pending', 0, now(), now())
                """, connection, transaction);
            insert.Parameters.AddWithValue("id", delivery.Id);
            insert.Parameters.AddWithValue("sub", id);
            insert.Parameters.AddWithValue("msg", delivery.MessageId);
            insert.Parameters.AddWithValue("type", delivery.EventType);
            insert.Parameters.AddWithValue("position", (object?)delivery.Position ?? DBNull.Value);
            insert.Parameters.AddWithValue("payload", delivery.Payload);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<Head?> HeadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, message_id, payload, attempts, next_attempt_at <= now()
            FROM webhook_deliveries WHERE subscription_id = @id AND status = 'pending' ORDER BY seq LIMIT 1
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetBoolean(4))
            : null;
    }

    /// <summary>Records the attempt (only while this replica still holds the subscription): success, a final failure, or the
    /// next retry's time; past the retry window, the delivery fails and the subscription is disabled, saying why.</summary>
    private async Task RecordAsync(Guid id, Claimed subscription, Head head, WebhookAttemptResult result, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempts = head.Attempts + 1;
        string status;
        TimeSpan? wait = null;
        string? disable = null;
        var now = DateTimeOffset.UtcNow;
        if (result.Succeeded)
        {
            status = WebhookDelivery.Succeeded;
        }
        else if (!result.Retryable)
        {
            status = WebhookDelivery.Failed;
        }
        else if (subscription.FailingSince is { } since && now - since >= settings.RetryWindow)
        {
            status = WebhookDelivery.Failed;
            disable = $"Deliveries failed for {settings.RetryWindow.TotalHours:0.#} hours (since {since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}); " +
                      $"the last attempt: {Describe(result)}. Fix the receiver, then enable the subscription again.";
        }
        else
        {
            status = WebhookDelivery.Pending;
            wait = result.RetryAfter is { } retryAfter && result.Status == 429
                ? (retryAfter < settings.MaxRetryAfter ? retryAfter : settings.MaxRetryAfter)
                : Backoff(attempts, settings);
        }

        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await using (var update = new NpgsqlCommand("""
            UPDATE webhook_deliveries d SET status = @status, attempts = d.attempts + 1, last_attempt_at = now(),
                   next_attempt_at = CASE WHEN @wait IS NULL THEN d.next_attempt_at ELSE now() + @wait END,
                   response_status = @code, response_body = @body, error = @error
            WHERE d.id = @delivery AND d.status = 'pending'
              AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = @id AND s.lease_owner = @owner)
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("status", status);
            update.Parameters.Add(new NpgsqlParameter("wait", NpgsqlDbType.Interval) { Value = (object?)wait ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Integer) { Value = (object?)result.Status ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Text) { Value = (object?)Clean(result.Body) ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)result.Error ?? DBNull.Value });
            update.Parameters.AddWithValue("delivery", head.Id);
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("owner", Owner);
            if (await update.ExecuteNonQueryAsync(CancellationToken.None) == 0)
            {
                return;
            }
        }

        var subscriptionSql = result.Succeeded
            ? "UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = @id AND failing_since IS NOT NULL"
            : disable is not null
                ? "UPDATE webhook_subscriptions SET enabled = false, disabled_reason = @reason, updated_at = now() WHERE id = @id"
                : result.Retryable
                    ? "UPDATE webhook_subscriptions SET failing_since = now() WHERE id = @id AND failing_since IS NULL"
                    : null;
        if (subscriptionSql is not null)
        {
            await using var touch = new NpgsqlCommand(subscriptionSql, connection, transaction);
            touch.Parameters.AddWithValue("id", id);
            touch.Parameters.AddWithValue("reason", disable ?? string.Empty);
            await touch.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        if (disable is not null)
        {
            LogDisabled(logger, id);
        }
    }

    /// <summary>The wait before retry <paramref name="attempts"/>: the schedule's entry (its last repeating), ± jitter.</summary>
    public static TimeSpan Backoff(int attempts, WebhookOptions settings)
    {
        var schedule = settings.RetrySchedule.Length > 0 ? settings.RetrySchedule : WebhookOptions.DefaultRetrySchedule;
        var baseWait = schedule[Math.Min(attempts - 1, schedule.Length - 1)];
        var factor = 1 + (((Random.Shared.NextDouble() * 2) - 1) * settings.Jitter);
        return TimeSpan.FromTicks((long)(baseWait.Ticks * factor));
    }

    private static string Describe(WebhookAttemptResult result) => result.Status is { } code ? $"HTTP {code}" : result.Error ?? "no answer";

    /// <summary>PostgreSQL text cannot hold NUL.</summary>
    private static string? Clean(string? body) => body?.Replace("\0", string.Empty, StringComparison.Ordinal);

    private async Task ReleaseAsync(Guid id)
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                "UPDATE webhook_subscriptions SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner");
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("owner", Owner);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogWorkFailed(logger, exception, id); // the lease expires by itself
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatcher round failed; it runs again at the next poll.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook deliveries of subscription {SubscriptionId} stopped; its lease expires and they go on.")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception, Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} disabled: its deliveries failed for the whole retry window.")]
    private static partial void LogDisabled(ILogger logger, Guid subscriptionId);
}
