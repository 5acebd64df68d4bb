namespace LinkJ.Application.Abstractions;

/// <summary>
/// Writes what an import has staged in <see cref="IAppDbContext"/> (added and changed aggregates) in bulk: the same
/// rows, change records and triggers as single writes, without a round trip per record.
/// </summary>
public interface IImportStore
{
    /// <summary>Every partner, deleted ones too, not tracked (partners are few: hundreds).</summary>
    Task<IReadOnlyList<LinkJ.Domain.Partners.Partner>> PartnersAsync(CancellationToken cancellationToken);

    /// <summary>The stored agreements, not tracked, whose external reference id is one of <paramref name="externalIds"/>.</summary>
    Task<IReadOnlyList<LinkJ.Domain.Agreements.Agreement>> AgreementsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken);

    /// <summary>The stored agreements, not tracked, whose id is one of <paramref name="ids"/>.</summary>
    Task<IReadOnlyList<LinkJ.Domain.Agreements.Agreement>> AgreementsByIdAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Stages a new record (an agreement or a partner) to be written by the next save.</summary>
    void StageNew<T>(T record) where T : class;

    /// <summary>Stages a stored record, loaded untracked, whose changes the next save writes.</summary>
    void StageStored<T>(T record) where T : class;

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
