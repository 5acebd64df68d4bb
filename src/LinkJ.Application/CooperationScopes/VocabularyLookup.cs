using System.Runtime.CompilerServices;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;
using LinkJ.Domain.CooperationScopes;

namespace LinkJ.Application.CooperationScopes;

public static class VocabularyLookup
{
    // One lookup per loaded vocabulary: while the context's cache hands out the same list, every read shares the
    // dictionary built from it instead of building its own; a list the cache dropped takes its dictionary with it.
    private static readonly ConditionalWeakTable<IReadOnlyList<CooperationScope>, IReadOnlyDictionary<string, CooperationScopeDto>> ByList = new();

    /// <summary>The whole cooperation vocabulary by code, to label an agreement's scopes.</summary>
    public static async Task<IReadOnlyDictionary<string, CooperationScopeDto>> LoadVocabularyByCodeAsync(this IAppDbContext db, CancellationToken cancellationToken) =>
        ByList.GetValue(await db.LoadVocabularyAsync(cancellationToken), ByCode);

    private static IReadOnlyDictionary<string, CooperationScopeDto> ByCode(IReadOnlyList<CooperationScope> vocabulary) =>
        vocabulary.ToDictionary(s => s.Code.Value, s => s.ToDto());
}
