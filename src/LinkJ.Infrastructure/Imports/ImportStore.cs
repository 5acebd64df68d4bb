using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Infrastructure.Imports;

/// <summary>
/// The bulk writes of an import (ADR 0034), through the request's <see cref="AppDbContext"/>: every staged record and its
/// change record in batched statements (EF sends up to its batch size per round trip), so the database's triggers keep
/// the running numbers and statistics exactly as for single writes, and the feed is numbered after the commit.
/// </summary>
public sealed class ImportStore(IAppDbContext db) : IImportStore
{
    private AppDbContext Context => db as AppDbContext ?? throw new InvalidOperationException("An import writes to the primary.");

    public void StageNew<T>(T record) where T : class => Context.Add(record);

    public void StageStored<T>(T record) where T : class => Context.Attach(record);

    public async Task<IReadOnlyList<Domain.Partners.Partner>> PartnersAsync(CancellationToken cancellationToken) =>
        await Context.Partners.AsNoTracking().ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Domain.Agreements.Agreement>> AgreementsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken) =>
        await Context.Agreements.AsNoTracking().Where(a => a.ExternalRef != null && externalIds.Contains(a.ExternalRef.Id)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Domain.Agreements.Agreement>> AgreementsByIdAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await Context.Agreements.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);

    public async Task SaveAllAsync(CancellationToken cancellationToken)
    {
        var context = Context;
        // A batch of thousands of rows takes longer than a request's statement is allowed (Database:CommandTimeoutSeconds).
        context.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        // One transaction (ours, or the caller's under an Idempotency-Key), numbered after its commit. Inside it the
        // tallies are kept as one bulk write (ADR 0041): the triggers collect each row's deltas and linkj_bulk_end adds
        // their sums before the commit, instead of updating the same few tally rows once per row.
        var transaction = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await context.Database.ExecuteSqlRawAsync("SELECT linkj_bulk_begin()", cancellationToken);
            await context.SaveChangesAsync(cancellationToken);
            await context.Database.ExecuteSqlRawAsync("SELECT linkj_bulk_end()", cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
                await transaction.DisposeAsync();
                transaction = null;
                await context.SequenceChangesAsync();
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // A record changed between the import's read and its write: nothing was written; the client runs it again.
            throw new DomainException(new Error("import.concurrent-change", "A record of the import was changed by another write meanwhile; nothing was written. Run the import again.", ErrorKind.Conflict));
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            context.ChangeTracker.Clear();
            context.Database.SetCommandTimeout(null);
        }
    }

    public async Task SaveRowAsync(CancellationToken cancellationToken)
    {
        var context = Context;
        var transaction = context.Database.CurrentTransaction;
        const string savepoint = "import_row";
        if (transaction is not null)
        {
            await transaction.CreateSavepointAsync(savepoint, cancellationToken);
        }

        try
        {
            await context.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.ReleaseSavepointAsync(savepoint, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is DomainException or DbUpdateConcurrencyException)
        {
            if (transaction is not null)
            {
                await transaction.RollbackToSavepointAsync(savepoint, cancellationToken);
            }

            if (exception is DbUpdateConcurrencyException)
            {
                throw new DomainException(new Error("import.concurrent-change", "The record was changed by another write meanwhile; this row was not written.", ErrorKind.Conflict));
            }

            throw;
        }
        finally
        {
            context.ChangeTracker.Clear();
        }
    }

    public void Discard() => Context.ChangeTracker.Clear();
}
