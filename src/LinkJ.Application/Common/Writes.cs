using LinkJ.Domain.Common;

namespace LinkJ.Application.Common;

/// <summary>The optimistic-concurrency steps every write to an existing aggregate takes.</summary>
public static class Writes
{
    /// <summary>
    /// The aggregate a repository found, if its version is still <paramref name="expectedVersion"/> (the client's
    /// If-Match; null when the caller checks it itself); otherwise <paramref name="notFound"/>, or stale with the current version.
    /// </summary>
    public static async Task<T> ForChangeAsync<T>(this Task<T?> found, VersionCondition? expectedVersion, Error notFound)
        where T : AggregateRoot
    {
        var aggregate = await found ?? throw new DomainException(notFound);
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
}
