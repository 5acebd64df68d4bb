using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// The command's transaction on the primary's context (ADR 0032). The locks a write takes, always in this order:
/// <list type="number">
/// <item>the Idempotency-Key's advisory lock and row, when the request has a key (<see cref="Idempotency.IdempotencyStore"/>);</item>
/// <item>the rows of the aggregates read for the change (by the handler's reads, then its statements);</item>
/// <item>the running numbers' and tallies' lock, taken by the agreements' statement trigger before any agreement row
/// is written (ADR 0003, 0010), held until commit;</item>
/// <item>the change records, written last and without a feed position: they are numbered after commit (ADR 0030),
/// so no writer holds the feed's order through its commit.</item>
/// </list>
/// <see cref="AppDbContext.SaveChangesAsync(bool, CancellationToken)"/> keeps steps 2–4 in that order: an agreement
/// and its change records go in one batch, agreement first (ChangeRecordBatchTests fails if EF ever orders them
/// otherwise); anything else is saved before its change records.
/// </summary>
public sealed class UnitOfWork(AppDbContext db) : IUnitOfWork
{
    public async Task BeginAsync(bool endsAtSave, CancellationToken cancellationToken)
    {
        if (!endsAtSave)
        {
            // Npgsql sends BEGIN with the next statement: opening costs no round trip of its own.
            await db.Database.BeginTransactionAsync(cancellationToken);
        }
    }

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Without a transaction of ours the save is one: one batch for an agreement, or its own transaction
            // otherwise; it commits and numbers its changes before returning, so that what the handler reads back is
            // not read while holding the writers' locks (ADR 0014).
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException exception) when (exception.Entries.FirstOrDefault() is { Entity: AggregateRoot } entry)
        {
            // Lost the race on the same version: say so with the version that won, never a lost update.
            var current = await entry.GetDatabaseValuesAsync(cancellationToken);
            throw new DomainException(CommonErrors.StaleVersion(current?.GetValue<int>(nameof(AggregateRoot.Version)) ?? 0));
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (db.ChangeTracker.HasChanges())
        {
            await SaveChangesAsync(cancellationToken);
        }

        if (db.Database.CurrentTransaction is not null)
        {
            // The Idempotency-Key's response, the COMMIT and the numbering of the changes: one round trip (ADR 0045).
            await db.CommitAsync();
        }
        else
        {
            await db.SequenceChangesAsync();
        }
    }

    public async Task RollBackAtCommitAsync(CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            // Without a transaction of ours the save would have committed on its own: a rehearsal begins one (ADR 0056).
            throw new InvalidOperationException("A rehearsal needs the unit of work's own transaction.");
        }

        if (db.ChangeTracker.HasChanges())
        {
            await SaveChangesAsync(cancellationToken);
        }

        // The statements queued for the commit, then ROLLBACK where COMMIT would be: one round trip, as a commit.
        await db.RollBackAtCommitAsync();
    }

    public async Task RollbackAsync()
    {
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.DisposeAsync();
        }

        db.ForgetAtCommit();
        db.ChangeTracker.Clear();
    }
}
