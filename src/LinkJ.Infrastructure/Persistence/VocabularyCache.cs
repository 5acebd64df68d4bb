using LinkJ.Domain.CooperationScopes;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// Keeps the cooperation vocabulary for a minute: every agreement read labels its scopes with it, and it only changes
/// when a release seeds new items. A replica sees such a change within the minute.
/// </summary>
public sealed class VocabularyCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    // One immutable object, swapped whole: readers on other threads never see half of an update (a nullable tuple is a
    // struct wider than a word, which a concurrent write could tear).
    private Snapshot? _current;

    public async Task<IReadOnlyList<CooperationScope>> GetAsync(Func<CancellationToken, Task<IReadOnlyList<CooperationScope>>> load, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && time.GetUtcNow() - current.LoadedAt < Lifetime)
        {
            return current.Items;
        }

        var items = await load(cancellationToken);
        Volatile.Write(ref _current, new Snapshot(time.GetUtcNow(), items));
        return items;
    }

    /// <summary>Forgets the vocabulary, e.g. after seeding changed it.</summary>
    public void Clear() => Volatile.Write(ref _current, null);

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyList<CooperationScope> Items);
}
