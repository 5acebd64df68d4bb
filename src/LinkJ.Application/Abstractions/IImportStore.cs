namespace LinkJ.Application.Abstractions;

/// <summary>
/// Writes what an import has staged in <see cref="IAppDbContext"/> (added and changed aggregates) in bulk: the same
/// rows, change records and triggers as single writes, without a round trip per record.
/// </summary>
public interface IImportStore
{
    /// <summary>Writes everything staged, in one transaction, and numbers its changes in the feed after it commits.</summary>
    Task SaveAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes what one row staged, on its own: committed by itself, or (inside a caller's transaction, as under an
    /// Idempotency-Key) behind a savepoint, so that a row the database refuses leaves the others. Throws the row's
    /// <see cref="LinkJ.Domain.Common.DomainException"/> after discarding it.
    /// </summary>
    Task SaveRowAsync(CancellationToken cancellationToken);

    /// <summary>Forgets whatever is staged (nothing is written).</summary>
    void Discard();
}
