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
                             "each with its partner's summary, its cooperation scopes and its running number. `expiringWithin` finds those ending soon. Follow `next` (or `Link`) for more.")
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

        agreements.MapGet("/calendar.ics", GetCalendar)
            .WithName("GetAgreementsCalendar")
            .WithSummary("Calendar of agreement ends")
            .WithDescription("iCalendar (RFC 5545) for Outlook or Google Calendar: an all-day event on each last day in force of the " +
                             "agreements in force and on each reminder day (90, 30, 7 days before), stable UIDs. Needs `token`.")
            .WithMetadata(new Webhooks.NotKeyedOnDataVersion())
            .Produces<string>(StatusCodes.Status200OK, AgreementCalendar.MediaType)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
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
        TypedResults.Ok(Guid.TryParse(id, out var agreementId)
            ? await sender.Send(GetHistoryQuery.ForAgreement(agreementId), cancellationToken)
            : throw new DomainException(AgreementErrors.NotFound));

    private static async Task<CsvFile> ExportAgreements(
        string? q, string? country, string? partnerKind, string? scope, string? status, int? year, string? signedFrom, string? signedTo,
        string? sort, string? expiringWithin, ISender sender, [FromServices] IOptions<ExportOptions> exports, CancellationToken cancellationToken) =>
        await Exports.AgreementsAsync(sender, ListAgreementsQuery.Parse(new(country, partnerKind, scope, status, signedFrom, signedTo, null, null, null, q, year, sort, expiringWithin)), exports.Value.PageSize, cancellationToken);

    private static async Task<Results<Ok<Page<AgreementDto>>, SeeOther>> ListAgreements(
        string? q, string? country, string? partnerKind, string? scope, string? status, int? year, string? signedFrom, string? signedTo,
        string? sort, int? limit, string? cursor, string? format, string? expiringWithin, ISender sender, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (Csv.IsRequested(http.Request))
        {
            // The export checks the filters: a CSV request is redirected whatever they are, as it always was.
            return Csv.SeeExport(http.Request, "/api/v1/agreements/export.csv");
        }

        var query = ListAgreementsQuery.Parse(new(country, partnerKind, scope, status, signedFrom, signedTo, null, limit, cursor, q, year, sort, expiringWithin));
        var page = await sender.Send(query, cancellationToken);
        http.AddNextLink(page);
        return TypedResults.Ok(page);
    }

    private static async Task<FileContentHttpResult> GetFeed(
        string? q, string? country, string? partnerKind, string? scope, ISender sender, ILanguageContext language, [FromServices] PublicBaseUrl baseUrl,
        HttpContext http, CancellationToken cancellationToken)
    {
        var page = await sender.Send(
            ListAgreementsQuery.Parse(new(country, partnerKind, scope, Q: q)) with { Sort = AgreementSort.SignedOnDescending, Limit = AtomFeed.Entries },
            cancellationToken);
        return AtomFeed.Write(page.Items, language.Language, http.Request, baseUrl);
    }

    // The calendar feed (ADR 0036): authenticated by the key's feed token, answered with its own ETag (the bytes').
    private static async Task<IResult> GetCalendar(
        string? token, ISender sender, ILanguageContext language, [FromServices] PublicBaseUrl baseUrl, [FromServices] ICalendarFeedTokens tokens,
        [FromServices] Security.AuthFailureLimit failures, [FromServices] IReminderSchedule reminders, HttpContext http,
        CancellationToken cancellationToken)
    {
        var prefix = tokens.PrefixOf(token);
        if (token is not null && prefix is null)
        {
            throw new Errors.ApiProblemException(StatusCodes.Status400BadRequest, Errors.ProblemCodes.ValidationFailed,
                "token is not a calendar feed token.", new Dictionary<string, string[]> { ["token"] = ["A feed token is ljcal_<8 hex>_<64 hex> (keys feed-token <prefix>)."] });
        }

        if (failures.IsBlocked(http, prefix))
        {
            http.Response.Headers.RetryAfter = ((int)Security.AuthFailureLimit.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new Errors.ApiProblemException(StatusCodes.Status429TooManyRequests, Errors.ProblemCodes.TooManyAuthFailures,
                "This address sent too many invalid feed tokens with this prefix within a minute; try again later.");
        }

        if (!await tokens.IsValidAsync(token, cancellationToken))
        {
            await failures.RecordFailureAsync(http, prefix);
            throw new Errors.ApiProblemException(StatusCodes.Status401Unauthorized, "auth.unauthenticated",
                "The calendar needs ?token=, the feed token of a live API key (keys feed-token <prefix>).");
        }

        var agreements = await sender.Send(new Application.Agreements.Queries.ListEndingAgreements.ListEndingAgreementsQuery(), cancellationToken);
        var body = AgreementCalendar.Write(agreements, reminders.Days, language.Language, baseUrl);
        var etag = AgreementCalendar.ETagOf(body);
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = "private, no-cache";
        if (http.Request.Headers.IfNoneMatch.Any(value => (value ?? string.Empty).Split(',').Select(v => v.Trim()).Any(v => v == etag || v == "W/" + etag || v == "*")))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(body, AgreementCalendar.MediaType + "; charset=utf-8");
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
