using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Common.Imports;

/// <summary>
/// The write phase both imports share, once every row has been checked and staged: a dry run writes nothing; an atomic
/// import adds the new records to the updates already applied and saves them all at once; a per-row import saves each
/// row on its own (updates first, then the new records in the order given), a rule a row breaks failing only that row.
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
                store.StageNew(record);
                ledger.Outcome(row, record.Id, "created");
            }

            await store.SaveAllAsync(cancellationToken);
            return ledger.Result();
        }

        foreach (var (row, record, update) in updates.Select(u => (u.Row, u.Record, (Func<bool>?)u.Update)).Concat(creates.Select(c => (c.Row, c.Record, (Func<bool>?)null))))
        {
            try
            {
                if (update is null)
                {
                    store.StageNew(record);
                    ledger.Outcome(row, record.Id, "created");
                }
                else
                {
                    store.StageStored(record);
                    if (!update())
                    {
                        continue;
                    }
                }

                await store.SaveRowAsync(cancellationToken);
            }
            catch (DomainException exception)
            {
                ledger.Error(row, exception.Error.Field ?? string.Empty, exception.Error.Message);
            }
            finally
            {
                store.Discard();
            }
        }

        return ledger.Result();
    }
}
