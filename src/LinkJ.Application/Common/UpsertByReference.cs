using LinkJ.Application.Abstractions;
using LinkJ.Application.Common.Behaviors;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Common;

/// <summary>
/// PUT by a client system's own id, for partners and agreements alike: the first call creates the record, a resend
/// of what is stored changes nothing, a change needs the version (If-Match). Two first calls at once both try to
/// create; the database's unique index on the reference lets one win, and the other's unit of work runs again and
/// updates the winner's record (<see cref="ConcurrentCreationException"/>). The one place of that race.
/// </summary>
public static class UpsertByReference
{
    public static async Task<(T Aggregate, bool Created)> UpsertAsync<T>(
        IReferencedRepository<T> repository,
        IUnitOfWork unitOfWork,
        ExternalReference reference,
        VersionCondition? expectedVersion,
        Func<T> create,
        Func<T, bool> update,
        Error deleted,
        IReadOnlyCollection<string> lostRaceCodes,
        CancellationToken cancellationToken)
        where T : AggregateRoot
    {
        var existing = await repository.FindByReferenceAsync(reference, cancellationToken);
        if (existing is null)
        {
            if (expectedVersion is not null)
            {
                throw new DomainException(CommonErrors.NoCurrentVersion);
            }

            var created = create();
            created.LinkExternalReference(reference);
            repository.Add(created);
            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
            }
            catch (DomainException exception) when (lostRaceCodes.Contains(exception.Error.Code))
            {
                // A concurrent retry created it first (a partner's slug may be checked before its reference).
                throw new ConcurrentCreationException(exception);
            }

            return (created, true);
        }

        if (existing.IsDeleted)
        {
            throw new DomainException(deleted);
        }

        Writes.EnsureVersion(existing, expectedVersion);
        if (update(existing))
        {
            if (expectedVersion is null)
            {
                throw new DomainException(CommonErrors.VersionRequired);
            }

            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return (existing, false);
    }
}
