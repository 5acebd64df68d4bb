using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Changes;
using LinkJ.Application.Changes.Queries.ListChanges;
using LinkJ.Application.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Endpoints;

public static class ChangesEndpoints
{
    public static IEndpointRouteBuilder MapChanges(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/changes", ListChanges)
            .RequireCors(CorsSetup.PublicReads)
            .WithTags("Changes")
            .WithName("ListChanges")
            .WithSummary("Follow the change feed")
            .WithDescription("Every create, update and delete of partners and agreements, in commit order (deletes as `deleted` " +
                             "tombstones). Start without `after`, then pass each `next`: nothing is missed or reordered. Needs an " +
                             "API key with `sync:read` (or `admin`).")
            .WithResponseExample(Examples.ChangePage)
            .RequireAuthorization(ApiScopes.SyncRead)
            .ProducesSyncReadProblems()
            .ProducesCommonProblems();
        return app;
    }

    private static async Task<Ok<ChangePageDto>> ListChanges(string? after, int? limit, ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(ListChangesQuery.Parse(after, limit), cancellationToken));
}
