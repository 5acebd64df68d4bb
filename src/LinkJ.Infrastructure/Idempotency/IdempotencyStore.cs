using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LinkJ.Infrastructure.Idempotency;

/// <summary>
/// Runs a POST at most once per (client, Idempotency-Key). The key's row is inserted first, in the same transaction as
/// the write it guards: a concurrent retry with the same key waits on the row's unique index until the first commits
/// (then replays its response) or rolls back (then runs itself). A failed request stores nothing, key included.
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

    public async Task<Claim> ClaimAsync(string owner, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
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
