using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;
using Mediator;

namespace LinkJ.Application.CooperationScopes.Queries.ListCooperationScopes;

public sealed class ListCooperationScopesHandler(IAppDbContext db)
    : IQueryHandler<ListCooperationScopesQuery, IReadOnlyList<CooperationScopeDto>>
{
    public async ValueTask<IReadOnlyList<CooperationScopeDto>> Handle(ListCooperationScopesQuery query, CancellationToken cancellationToken) =>
        [.. (await db.LoadVocabularyByCodeAsync(cancellationToken)).Values];
}
