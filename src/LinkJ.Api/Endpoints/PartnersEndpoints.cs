using LinkJ.Api.Formats;
using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Changes;
using LinkJ.Application.Changes.Queries.GetHistory;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Partners;
using LinkJ.Application.Security;
using LinkJ.Application.Partners.Queries.GetPartner;
using LinkJ.Application.Partners.Queries.ListPartners;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkJ.Api.Endpoints;

public static class PartnersEndpoints
{
    public static IEndpointRouteBuilder MapPartners(this IEndpointRouteBuilder app)
    {
        var partners = app.MapGroup("/api/v1/partners").WithTags("Partners").RequireCors(CorsSetup.PublicReads);

        partners.MapGet("/", ListPartners)
            .WithName("ListPartners")
            .WithSummary("List partners")
            .WithDescription("LINK-J's partner organisations in the order their partnerships began, a page at a time: follow `next` " +
                             "(or `Link`) until it is null.")
            .WithResponseExample(Examples.PartnerPage)
            .Produces(StatusCodes.Status303SeeOther)
            .ProducesCommonProblems();

        partners.MapGet("/export.csv", ExportPartners)
            .WithName("ExportPartnersCsv")
            .WithSummary("Export partners as CSV")
            .WithDescription("Every partner the list's filters match (not a page) as RFC 4180 CSV in UTF-8 with a BOM, so Excel in Japan " +
                             "opens it. The list's `?format=csv` (or `Accept: text/csv`) redirects here.")
            .WithMetadata(new CsvExportMetadata())
            .Produces<string>(StatusCodes.Status200OK, Csv.MediaType)
            .ProducesCommonProblems();

        partners.MapGet("/{idOrSlug}", GetPartner)
            .WithName("GetPartner")
            .WithSummary("Get a partner")
            .WithDescription("One partner by its id or its slug, e.g. `osaka-prefecture`.")
            .WithResponseExample(Examples.Partner)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCommonProblems();

        partners.MapGet("/{idOrSlug}/agreements", ListPartnerAgreements)
            .WithName("ListPartnerAgreements")
            .WithSummary("List a partner's agreements")
            .WithDescription("The agreements LINK-J signed with one partner (by id or slug), in signing order, each with the partner's summary.")
            .WithResponseExample(Examples.AgreementPage)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCommonProblems();

        partners.MapGet("/{idOrSlug}/history", GetPartnerHistory)
            .WithName("GetPartnerHistory")
            .WithSummary("Get a partner's history")
            .WithDescription("Who (which API key) changed the partner, when, to which version and which fields, oldest first; " +
                             "a deleted partner's history ends with its tombstone. For internal systems: needs an API key with " +
                             "`sync:read` (or `admin`).")
            .WithResponseExample(Examples.History)
            .RequireAuthorization(ApiScopes.SyncRead)
            .ProducesSyncReadProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCommonProblems();

        return app;
    }

    private static async Task<Ok<IReadOnlyList<HistoryEntryDto>>> GetPartnerHistory(string idOrSlug, ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(GetHistoryQuery.ForPartner(PartnerRef.Parse(idOrSlug)), cancellationToken));

    private static async Task<CsvFile> ExportPartners(
        string? country, string? kind, string? q, string? sort, ISender sender, [FromServices] IOptions<ExportOptions> exports, CancellationToken cancellationToken) =>
        await Exports.PartnersAsync(sender, ListPartnersQuery.Parse(country, kind, null, null, q, sort), exports.Value.PageSize, cancellationToken);

    private static async Task<Results<Ok<Page<PartnerDto>>, SeeOther>> ListPartners(
        string? country, string? kind, string? q, string? sort, int? limit, string? cursor, string? format, ISender sender, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (Csv.IsRequested(http.Request))
        {
            return Csv.SeeExport(http.Request, "/api/v1/partners/export.csv");
        }

        var query = ListPartnersQuery.Parse(country, kind, limit, cursor, q, sort);
        var page = await sender.Send(query, cancellationToken);
        http.AddNextLink(page);
        return TypedResults.Ok(page);
    }

    private static async Task<Ok<PartnerDto>> GetPartner(string idOrSlug, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var partner = await sender.Send(new GetPartnerQuery(PartnerRef.Parse(idOrSlug)), cancellationToken);
        http.SetItemVersion(partner.Version);
        return TypedResults.Ok(partner);
    }

    private static async Task<Ok<Page<AgreementDto>>> ListPartnerAgreements(
        string idOrSlug, string? status, string? sort, int? limit, string? cursor, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var page = await sender.Send(ListAgreementsQuery.Parse(new(Status: status, PartnerIdOrSlug: idOrSlug, Limit: limit, Cursor: cursor, Sort: sort)), cancellationToken);
        http.AddNextLink(page);
        return TypedResults.Ok(page);
    }
}
