using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Common;

/// <summary>The optimistic-concurrency steps every write to an existing aggregate takes.</summary>
public static class Writes
{
    /// <summary>
    /// The live aggregate to change, tracked, if its version is still <paramref name="expectedVersion"/> (the client's
    /// If-Match; null when the caller checks it itself); otherwise <paramref name="notFound"/>, or stale with the current version.
    /// </summary>
    public static async Task<T> LoadForChangeAsync<T>(this IQueryable<T> set, Guid id, VersionCondition? expectedVersion, Error notFound, CancellationToken cancellationToken)
        where T : AggregateRoot
    {
        var aggregate = await set.FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, cancellationToken)
            ?? throw new DomainException(notFound);
        EnsureVersion(aggregate, expectedVersion);
        return aggregate;
    }

    public static void EnsureVersion(AggregateRoot aggregate, VersionCondition? expectedVersion)
    {
        if (expectedVersion is { } expected && !expected.Matches(aggregate.Version))
        {
            throw new DomainException(CommonErrors.StaleVersion(aggregate.Version));
        }
    }

    /// <summary>Saves; a writer that lost the race on the same version gets the stale-version error, never a lost update.</summary>
    public static async Task SaveChangeAsync<T>(this IAppDbContext db, IQueryable<T> set, T aggregate, CancellationToken cancellationToken)
        where T : AggregateRoot
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await set.AsNoTracking().Where(a => a.Id == aggregate.Id).Select(a => a.Version).FirstOrDefaultAsync(cancellationToken);
            throw new DomainException(CommonErrors.StaleVersion(current));
        }
    }
}
