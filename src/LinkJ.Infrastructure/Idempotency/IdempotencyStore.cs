using System.Text.Json;
using System.Text.Json.Serialization;
using LinkJ.Application.Abstractions;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LinkJ.Infrastructure.Idempotency;

/// <summary>
/// Runs a command at most once per (client, Idempotency-Key). The key's row is inserted first, in the unit of work's
/// transaction, the one of the write it guards, under a transaction-scoped advisory lock on the key taken without
/// waiting: a request that comes while another with the same key is still running is told so at once
/// (<see cref="IdempotencyClaim{T}.InProgress"/>, a 409 as the IETF Idempotency-Key draft says) instead of holding a
/// pooled connection blocked on the key's row until the first ends. One that comes after the first committed replays
/// its response (the command's result, stored as JSON with the key and the status it was answered with); after it rolled back, runs itself. A failed
/// request stores nothing, key included.
/// </summary>
public sealed class IdempotencyStore(AppDbContext db, TimeProvider time) : IIdempotencyKeys
{
    /// <summary>The seed of the 64-bit hash that names a key's advisory lock (any fixed value; the seeder's one constant
    /// lock key is met by such a hash practically never).</summary>
    private const long LockNamespace = 0x1D3_0000;

    // What the claim's statement answers: the lock was held by another request, the row is ours, the row was there.
    private const int ClaimInProgress = 0, ClaimOwned = 1, ClaimTaken = 2;

    /// <summary>How results are stored: a lossless round trip of the use cases' DTOs (their enums by name).</summary>
    private static readonly JsonSerializerOptions Format = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<IdempotencyClaim<T>> ClaimAsync<T>(IdempotentRequest request, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("A key is claimed in the unit of work's transaction.");
        // One round trip (ADR 0045): the key's advisory lock without waiting, then, only if it was free, the key's row
        // (migration ClaimIdempotencyKeyInOneStatement). Whoever holds the lock inserted (or will insert) its row in a
        // transaction not yet ended: inserting too would wait on that row. Held until this transaction ends, like the
        // row's own lock.
        var claim = await db.Database.SqlQuery<int>(
            $"""
            SELECT linkj_claim_idempotency_key({request.Owner}, {request.Key}, {request.RequestHash}, {time.GetUtcNow()},
                                               hashtextextended({request.Owner + "\n" + request.Key}, {LockNamespace})) AS "Value"
            """).SingleAsync(cancellationToken);
        if (claim == ClaimInProgress)
        {
            await transaction.DisposeAsync();
            return new IdempotencyClaim<T>.InProgress();
        }

        if (claim == ClaimOwned)
        {
            return new IdempotencyClaim<T>.Owned();
        }

        await transaction.DisposeAsync();
        var record = await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Owner == request.Owner && r.Key == request.Key, cancellationToken);
        // The first request may have committed and not yet numbered its change (ADR 0030): a replay answers only once
        // the change is in the feed and the data version, as the first answer would have.
        await db.SequenceChangesAsync(evenIfNoneWritten: true);
        if (!record.RequestHash.AsSpan().SequenceEqual(request.RequestHash))
        {
            return new IdempotencyClaim<T>.Mismatch();
        }

        return new IdempotencyClaim<T>.Replay(record.Body is null ? default! : JsonSerializer.Deserialize<T>(record.Body, Format)!);
    }

    /// <summary>
    /// Stores the response with the key, in the transaction of the write: queued for the unit of work's commit, which
    /// sends it in the COMMIT's round trip (ADR 0045); the key and the write commit together or not at all.
    /// </summary>
    public Task CompleteAsync<T>(IdempotentRequest request, T response, CancellationToken cancellationToken)
    {
        var body = response is null ? null : JsonSerializer.Serialize(response, Format);
        db.ExecuteAtCommit(new NpgsqlBatchCommand("UPDATE idempotency_keys SET status_code = $1, body = $2 WHERE owner = $3 AND key = $4")
        {
            Parameters =
            {
                new NpgsqlParameter<int> { TypedValue = request.SuccessStatus },
                new NpgsqlParameter { Value = (object?)body ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new NpgsqlParameter<string> { TypedValue = request.Owner },
                new NpgsqlParameter<string> { TypedValue = request.Key },
            },
        });
        return Task.CompletedTask;
    }

    /// <summary>Forgets keys older than <paramref name="retention"/>; returns how many.</summary>
    public Task<int> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - retention;
        return db.IdempotencyRecords.Where(r => r.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}
