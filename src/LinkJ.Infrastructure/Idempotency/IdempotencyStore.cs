using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LinkJ.Infrastructure.Idempotency;

/// <summary>
/// Runs a POST at most once per (client, Idempotency-Key). The key's row is inserted first, in the same transaction as
/// the write it guards, under a transaction-scoped advisory lock on the key taken without waiting: a request that comes
/// while another with the same key is still running is told so at once (<see cref="InProgress"/>, a 409 as the IETF
/// Idempotency-Key draft says) instead of holding a pooled connection blocked on the key's row until the first ends.
/// One that comes after the first committed replays its response; after it rolled back, runs itself. A failed request
/// stores nothing, key included.
/// </summary>
public sealed class IdempotencyStore(AppDbContext db, TimeProvider time)
{
    /// <summary>What became of a key when a request claimed it.</summary>
    public abstract record Claim;

    /// <summary>This request owns the key: run it, then <see cref="CompleteAsync"/> in the open transaction.</summary>
    public sealed record Owned(IDbContextTransaction Transaction) : Claim;

    /// <summary>An earlier request with this key and this very request completed: replay its response.</summary>
    public sealed record Replay(IdempotencyRecord Record) : Claim;

    /// <summary>The key was used before for a different request.</summary>
    public sealed record Mismatch : Claim;

    /// <summary>A request with this key is running right now (on any replica): nothing to replay yet.</summary>
    public sealed record InProgress : Claim;

    /// <summary>The seed of the 64-bit hash that names a key's advisory lock (any fixed value; the seeder's one constant
    /// lock key is met by such a hash practically never).</summary>
    private const long LockNamespace = 0x1D3_0000;

    public async Task<Claim> ClaimAsync(string owner, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Whoever holds the key's lock inserted (or will insert) its row in a transaction not yet ended: inserting too
        // would wait on that row. Held until this transaction ends, like the row's own lock.
        var locked = await db.Database
            .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtextextended({owner + "\n" + key}, {LockNamespace})) AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!locked)
        {
            await transaction.DisposeAsync();
            return new InProgress();
        }

        var inserted = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO idempotency_keys (owner, key, request_hash, status_code, created_at)
            VALUES ({owner}, {key}, {requestHash}, 0, {time.GetUtcNow()})
            ON CONFLICT (owner, key) DO NOTHING
            """,
            cancellationToken);
        if (inserted == 1)
        {
            return new Owned(transaction);
        }

        await transaction.DisposeAsync();
        var record = await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Owner == owner && r.Key == key, cancellationToken);
        // The first request may have committed and not yet numbered its change (ADR 0030): a replay answers only once
        // the change is in the feed and the data version, as the first answer would have.
        await db.SequenceChangesAsync(evenIfNoneWritten: true);
        return record.RequestHash.AsSpan().SequenceEqual(requestHash) ? new Replay(record) : new Mismatch();
    }

    /// <summary>Stores the response with the key and commits the write and the key together.</summary>
    public async Task CompleteAsync(Owned claim, string owner, string key, int statusCode, string? body, string? location, string? etag, CancellationToken cancellationToken)
    {
        await db.IdempotencyRecords
            .Where(r => r.Owner == owner && r.Key == key)
            .ExecuteUpdateAsync(
                set => set.SetProperty(r => r.StatusCode, statusCode).SetProperty(r => r.Body, body)
                          .SetProperty(r => r.Location, location).SetProperty(r => r.ETag, etag),
                cancellationToken);
        await claim.Transaction.CommitAsync(cancellationToken);
        await claim.Transaction.DisposeAsync();
        await db.SequenceChangesAsync();
    }

    /// <summary>Forgets keys older than <paramref name="retention"/>; returns how many.</summary>
    public Task<int> PurgeAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - retention;
        return db.IdempotencyRecords.Where(r => r.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}
