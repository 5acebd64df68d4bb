using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.CooperationScopes;

public static class VocabularyLookup
{
    /// <summary>The whole cooperation vocabulary by code (a few dozen rows), to label an agreement's scopes.</summary>
    public static async Task<IReadOnlyDictionary<string, CooperationScopeDto>> LoadVocabularyAsync(this IAppDbContext db, CancellationToken cancellationToken)
    {
        var scopes = await db.CooperationScopes.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(cancellationToken);
        return scopes.ToDictionary(s => s.Code.Value, s => s.ToDto());
    }
}
