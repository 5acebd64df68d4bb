using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Stats;
using LinkJ.Application.Stats.Queries.GetStats;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Endpoints;

public static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stats", GetStats)
            .RequireCors(CorsSetup.PublicReads)
            .WithTags("Statistics")
            .WithName("GetStats")
            .WithSummary("Get statistics of partners and partnerships")
            .WithDescription("LINK-J's partners and partnerships in numbers, for partner websites: totals, partners and partnerships " +
                             "by country and partner kind, by year with a running total, cooperation scopes by use, and the first and " +
                             "latest partnership with their running numbers (Osaka Prefecture: `ordinal.overall` 13, `withinPartnerKind` 3). " +
                             "Drafts, deleted agreements and renewals are not partnerships. Labels are in the negotiated language.")
            .WithResponseExample(Examples.Stats)
            .ProducesCommonProblems();
        return app;
    }

    private static async Task<Ok<StatsDto>> GetStats(ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetStatsQuery(), cancellationToken));
}
