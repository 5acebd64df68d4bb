using LinkJ.Api.Formats;
using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Queries.GetAgreement;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Changes;
using LinkJ.Application.Changes.Queries.GetHistory;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Security;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkJ.Api.Endpoints;

public static class AgreementsEndpoints
{
    public static IEndpointRouteBuilder MapAgreements(this IEndpointRouteBuilder app)
    {
        var agreements = app.MapGroup("/api/v1/agreements").WithTags("Agreements").RequireCors(CorsSetup.PublicReads);

        agreements.MapGet("/", ListAgreements)
            .WithName("ListAgreements")
            .WithSummary("List agreements")
            .WithDescription("LINK-J's partnership agreements in signing order (partnerships of the same month keep the source's order), " +
                             "each with its partner's summary, its cooperation scopes and its running number. Filter by the partner's " +
                             "country and kind, a scope, the status and a signing period; follow `next` (or the `Link` header) for more.")
            .WithResponseExample(Examples.AgreementPage)
            .Produces(StatusCodes.Status303SeeOther)
            .ProducesCommonProblems();

        agreements.MapGet("/export.csv", ExportAgreements)
            .WithName("ExportAgreementsCsv")
            .WithSummary("Export agreements as CSV")
            .WithDescription("Every agreement the list's filters match (not a page) as RFC 4180 CSV in UTF-8 with a BOM, so Excel in Japan " +
                             "opens it. The list's `?format=csv` (or `Accept: text/csv`) redirects here.")
            .WithMetadata(new CsvExportMetadata())
            .Produces<string>(StatusCodes.Status200OK, Csv.MediaType)
            .ProducesCommonProblems();

        agreements.MapGet("/feed.atom", GetFeed)
            .WithName("GetAgreementsAtomFeed")
            .WithSummary("Atom feed of agreements")
            .WithDescription($"The latest {AtomFeed.Entries} agreements, newest first, as an Atom feed (RFC 4287) in the negotiated " +
                             "language, for websites and feed readers. Takes the list's filters (country, partnerKind, scope, q).")
            .Produces<string>(StatusCodes.Status200OK, AtomFeed.MediaType)
            .ProducesCommonProblems();

        agreements.MapGet("/{id}", GetAgreement)
            .WithName("GetAgreement")
            .WithSummary("Get an agreement")
            .WithDescription("One agreement by id, with its partner's summary, cooperation scopes, signatories and running number " +
                             "(`ordinal.overall` 13 and `ordinal.withinPartnerKind` 3 for Osaka Prefecture's MOU).")
            .WithResponseExample(Examples.Agreement)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCommonProblems();

        agreements.MapGet("/{id}/history", GetAgreementHistory)
            .WithName("GetAgreementHistory")
            .WithSummary("Get an agreement's history")
            .WithDescription("Who (which API key) changed the agreement, when, to which version and which fields, oldest first; " +
                             "a deleted agreement's history ends with its tombstone. For internal systems: needs an API key with " +
                             "`sync:read` (or `admin`).")
            .WithResponseExample(Examples.History)
            .RequireAuthorization(ApiScopes.SyncRead)
            .ProducesSyncReadProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCommonProblems();

        return app;
    }

    private static async Task<Ok<IReadOnlyList<HistoryEntryDto>>> GetAgreementHistory(string id, ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetHistoryQuery(GetHistoryQuery.Agreement, id), cancellationToken));

    private static async Task<CsvFile> ExportAgreements(
        string? q, string? country, string? partnerKind, string? scope, string? status, int? year, string? signedFrom, string? signedTo,
        string? sort, ISender sender, [FromServices] IOptions<ExportOptions> exports, CancellationToken cancellationToken) =>
        await Exports.AgreementsAsync(sender, new ListAgreementsQuery(country, partnerKind, scope, status, signedFrom, signedTo, null, null, null, q, year, sort), exports.Value.PageSize, cancellationToken);

    private static async Task<Results<Ok<Page<AgreementDto>>, SeeOther>> ListAgreements(
        string? q, string? country, string? partnerKind, string? scope, string? status, int? year, string? signedFrom, string? signedTo,
        string? sort, int? limit, string? cursor, string? format, ISender sender, HttpContext http,
        CancellationToken cancellationToken)
    {
        var query = new ListAgreementsQuery(country, partnerKind, scope, status, signedFrom, signedTo, null, limit, cursor, q, year, sort);
        if (Csv.IsRequested(http.Request))
        {
            return Csv.SeeExport(http.Request, "/api/v1/agreements/export.csv");
        }

        var page = await sender.Send(query, cancellationToken);
        http.AddNextLink(page);
        return TypedResults.Ok(page);
    }

    private static async Task<FileContentHttpResult> GetFeed(
        string? q, string? country, string? partnerKind, string? scope, ISender sender, ILanguageContext language, [FromServices] PublicBaseUrl baseUrl,
        HttpContext http, CancellationToken cancellationToken)
    {
        var page = await sender.Send(
            new ListAgreementsQuery(country, partnerKind, scope, Q: q, Sort: "-signedOn", Limit: AtomFeed.Entries), cancellationToken);
        return AtomFeed.Write(page.Items, language.Language, http.Request, baseUrl);
    }

    private static async Task<Ok<AgreementDto>> GetAgreement(string id, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreement = Guid.TryParse(id, out var agreementId)
            ? await sender.Send(new GetAgreementQuery(agreementId), cancellationToken)
            : throw new DomainException(AgreementErrors.NotFound);
        http.SetItemVersion(agreement.Version);
        return TypedResults.Ok(agreement);
    }
}
