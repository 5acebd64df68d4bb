using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;

namespace LinkJ.Application.CooperationScopes;

public static class VocabularyLookup
{
    /// <summary>The whole cooperation vocabulary by code, to label an agreement's scopes.</summary>
    public static async Task<IReadOnlyDictionary<string, CooperationScopeDto>> LoadVocabularyByCodeAsync(this IAppDbContext db, CancellationToken cancellationToken) =>
        (await db.LoadVocabularyAsync(cancellationToken)).ToDictionary(s => s.Code.Value, s => s.ToDto());
}
