using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Common.Imports;

/// <summary>
/// The write phase both imports share, once every row has been checked and staged: a dry run writes nothing; an atomic
/// import adds the new records to the updates already applied and saves them all at once; a per-row import applies each
/// row's update (updates first, then the new records in the order given) and saves them all together, a rule a row
/// breaks, here or at the database, failing only that row (ADR 0042).
/// </summary>
public static class ImportWrites
{
    /// <param name="store">Holds what the handler staged.</param>
    /// <param name="ledger">Each row's outcome.</param>
    /// <param name="mode">Atomic or per row.</param>
    /// <param name="dryRun">Check everything, write nothing.</param>
    /// <param name="creates">The new records, in the order to write them.</param>
    /// <param name="updates">The stored records a row changes, each with its update (per row only: an atomic import has
    /// applied them when it staged them); the update records its outcome and returns false when it changed nothing.</param>
    /// <param name="cancellationToken">Stops the import.</param>
    public static async Task<ImportResult> WriteAsync<T>(
        IImportStore store, ImportLedger ledger, ImportMode mode, bool dryRun,
        IReadOnlyList<(int Row, T Record)> creates, IEnumerable<(int Row, T Record, Func<bool> Update)> updates, CancellationToken cancellationToken)
        where T : AggregateRoot
    {
        if (dryRun)
        {
            foreach (var (row, _) in creates)
            {
                ledger.Outcome(row, null, "created");
            }

            store.Discard();
            return ledger.Result();
        }

        if (mode == ImportMode.Atomic)
        {
            foreach (var (row, record) in creates)
            {
                store.StageNew(row, record);
                ledger.Outcome(row, record.Id, "created");
            }

            await store.SaveAllAsync(cancellationToken);
            return ledger.Result();
        }

        foreach (var (row, record, update) in updates)
        {
            store.StageStored(row, record);
            try
            {
                if (!update())
                {
                    store.Unstage(record);
                }
            }
            catch (DomainException exception)
            {
                store.Unstage(record);
                ledger.Error(row, exception.Error.Field ?? string.Empty, exception.Error.Message);
            }
        }

        foreach (var (row, record) in creates)
        {
            store.StageNew(row, record);
            ledger.Outcome(row, record.Id, "created");
        }

        foreach (var (row, error) in await store.SaveEachAsync(cancellationToken))
        {
            ledger.Error(row, error.Field ?? string.Empty, error.Message);
        }

        return ledger.Result();
    }
}

