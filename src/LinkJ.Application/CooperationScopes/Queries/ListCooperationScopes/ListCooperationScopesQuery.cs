using LinkJ.Application.Agreements;
using Mediator;

namespace LinkJ.Application.CooperationScopes.Queries.ListCooperationScopes;

/// <summary>The whole vocabulary of cooperation scopes, in its display order.</summary>
public sealed record ListCooperationScopesQuery : IQuery<IReadOnlyList<CooperationScopeDto>>;
