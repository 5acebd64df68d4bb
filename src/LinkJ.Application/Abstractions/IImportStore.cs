using LinkJ.Domain.Common;

namespace LinkJ.Application.Abstractions;

/// <summary>
/// Writes what an import has staged (new aggregates, and stored ones with their changes) in bulk (ADR 0034, 0042): the
/// same rows and change records as single writes, in a few set-based statements instead of one per record.
/// </summary>
public interface IImportStore
{
    /// <summary>Every partner, deleted ones too, not tracked (partners are few: hundreds).</summary>
    Task<IReadOnlyList<LinkJ.Domain.Partners.Partner>> PartnersAsync(CancellationToken cancellationToken);

    /// <summary>The stored agreements, not tracked, whose external reference id is one of <paramref name="externalIds"/>.</summary>
    Task<IReadOnlyList<LinkJ.Domain.Agreements.Agreement>> AgreementsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken);

    /// <summary>The stored agreements, not tracked, whose id is one of <paramref name="ids"/>.</summary>
    Task<IReadOnlyList<LinkJ.Domain.Agreements.Agreement>> AgreementsByIdAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Stages a new record (an agreement or a partner), the file's row <paramref name="row"/>, to be written by the next save.
    /// New records are written in the order they are staged.</summary>
    void StageNew<T>(int row, T record) where T : AggregateRoot;

    /// <summary>
    /// Stages a stored record (loaded untracked) <b>before</b> the row's change is applied to it: the save writes the
    /// columns that changed since, checked against the version it had here, and lists them in the change record.
    /// A record that did not change is not written.
    /// </summary>
    void StageStored<T>(int row, T record) where T : AggregateRoot;

    /// <summary>Forgets one staged record (its change failed a rule half-way).</summary>
    void Unstage(AggregateRoot record);

    /// <summary>
    /// Writes everything staged, in one transaction (ours, or the caller's under an Idempotency-Key), and numbers its
    /// changes in the feed after it commits. A conflict at the database fails the whole save with nothing written
    /// (a <see cref="DomainException"/>).
    /// </summary>
    Task SaveAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes everything staged, each row succeeding or failing on its own: a row the database refuses (a reference or a
    /// slug taken meanwhile, a record changed by another write) is not written and is returned with its error; the
    /// others are.
    /// </summary>
    Task<IReadOnlyList<(int Row, Error Error)>> SaveEachAsync(CancellationToken cancellationToken);

    /// <summary>Forgets whatever is staged (nothing is written).</summary>
    void Discard();
}
