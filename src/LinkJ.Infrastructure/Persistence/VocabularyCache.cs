using LinkJ.Domain.CooperationScopes;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// Keeps the cooperation vocabulary for a minute: every agreement read labels its scopes with it, and it only changes
/// when a release seeds new items. A replica sees such a change within the minute.
/// </summary>
public sealed class VocabularyCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private (DateTimeOffset LoadedAt, IReadOnlyList<CooperationScope> Items)? _current;

    public async Task<IReadOnlyList<CooperationScope>> GetAsync(Func<CancellationToken, Task<IReadOnlyList<CooperationScope>>> load, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is { } cached && time.GetUtcNow() - cached.LoadedAt < Lifetime)
        {
            return cached.Items;
        }

        var items = await load(cancellationToken);
        _current = (time.GetUtcNow(), items);
        return items;
    }

    /// <summary>Forgets the vocabulary, e.g. after seeding changed it.</summary>
    public void Clear() => _current = null;
}
