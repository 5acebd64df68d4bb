using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Agreements;
using LinkJ.Application.CooperationScopes.Queries.ListCooperationScopes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Endpoints;

public static class CooperationScopesEndpoints
{
    public static IEndpointRouteBuilder MapCooperationScopes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cooperation-scopes", ListCooperationScopes)
            .RequireCors(CorsSetup.PublicReads)
            .WithTags("Cooperation scopes")
            .WithName("ListCooperationScopes")
            .WithSummary("List the cooperation vocabulary")
            .WithDescription("Every cooperation scope (提携内容) an agreement can list, with its code and its Japanese and English labels. " +
                             "Use a code in the `scope` filter of the agreement list.")
            .WithResponseExample(Examples.CooperationScopes)
            .ProducesCommonProblems();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<CooperationScopeDto>>> ListCooperationScopes(ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListCooperationScopesQuery(), cancellationToken));
}
