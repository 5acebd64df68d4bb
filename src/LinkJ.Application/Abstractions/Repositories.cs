using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Documents;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Abstractions;

/// <summary>Aggregates a client system can name by its own id (upserts by reference).</summary>
public interface IReferencedRepository<T>
    where T : AggregateRoot
{
    /// <summary>The aggregate with this external reference, deleted or not, tracked; null when there is none.</summary>
    Task<T?> FindByReferenceAsync(ExternalReference reference, CancellationToken cancellationToken);

    /// <summary>Adds a new aggregate, written by the next save.</summary>
    void Add(T aggregate);
}

/// <summary>The agreements as the write side sees them: whole aggregates, tracked for the unit of work.</summary>
public interface IAgreementRepository : IReferencedRepository<Agreement>
{
    /// <summary>The live (not deleted) agreement, tracked; null when there is none.</summary>
    Task<Agreement?> FindLiveAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// The running numbers the database gave <paramref name="agreement"/> (none for one that does not count as a partnership) when the last save inserted it (set before the
    /// row is written and returned by the insert): a create needs no read-back (ADR 0014). Not kept up to date afterwards:
    /// reads derive the numbers (ADR 0033).
    /// </summary>
    AgreementOrdinal? InsertedOrdinal(Agreement agreement);

    /// <summary>Up to <paramref name="max"/> active agreements whose validity ended before <paramref name="today"/>, earliest first.</summary>
    Task<IReadOnlyList<Agreement>> ListEndedActiveAsync(DateOnly today, int max, CancellationToken cancellationToken);
}

/// <summary>The partners as the write side sees them.</summary>
public interface IPartnerRepository : IReferencedRepository<Partner>
{
    /// <summary>The live partner named by id or slug (parsed at the edge), tracked; null when there is none.</summary>
    Task<Partner?> FindLiveAsync(Partners.PartnerRef partner, CancellationToken cancellationToken);

    /// <summary>Whether a live (not deleted) partner has this id.</summary>
    Task<bool> IsLiveAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The live partner with this id as stored, not tracked (to show, not to change); null when there is none.</summary>
    Task<Partner?> ReadLiveAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Whether the partner still has live agreements.</summary>
    Task<bool> HasLiveAgreementsAsync(Guid partnerId, CancellationToken cancellationToken);
}

/// <summary>The agreements' documents as the write side sees them (ADR 0038).</summary>
public interface IAgreementDocumentRepository
{
    /// <summary>The agreement's document, tracked; null when there is none.</summary>
    Task<AgreementDocument?> FindAsync(Guid agreementId, Guid documentId, CancellationToken cancellationToken);

    /// <summary>Fails with <see cref="DocumentErrors.TooMany"/> when the agreement has as many documents as it may.</summary>
    Task EnsureRoomAsync(Guid agreementId, CancellationToken cancellationToken);

    /// <summary>Adds a document, written by the next save.</summary>
    void Add(AgreementDocument document);

    /// <summary>Removes a document at the next save.</summary>
    void Remove(AgreementDocument document);
}
