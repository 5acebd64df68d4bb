using LinkJ.Api.Errors;
using LinkJ.Api.Formats;
using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Agreements.Commands.ImportAgreements;
using LinkJ.Application.Common.Imports;
using LinkJ.Application.Partners.Commands.ImportPartners;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LinkJ.Api.Endpoints;

/// <summary>
/// <c>POST /api/v1/agreements/import</c> and <c>POST /api/v1/partners/import</c> (ADR 0034): many records at once, from
/// JSON lines or export.csv's CSV, upserted by external reference. Mapped on each resource's write group, so they need
/// that group's scope.
/// </summary>
public static class ImportEndpoints
{
    private const string Description =
        "Creates or replaces many {0} at once, for a spreadsheet of historical records or a system's nightly sync. The body is " +
        "**JSON lines** (`application/x-ndjson` or `application/jsonl`): one record a line, as the body of `PUT /api/v1/{1}/by-ref/{{source}}/{{externalId}}`, " +
        "plus `externalRef` (`{{\"source\": \"…\", \"id\": \"…\"}}`; the source may come from `?source=`) or `id` (a stored record's){2}; or **CSV** (`text/csv`) " +
        "with the columns of `GET /api/v1/{1}/export.csv` (UTF-8, with or without BOM), plus `external_source` and `external_id`{3}. " +
        "A CSV row changes only the fields its columns give (the others keep their stored values; export.csv's computed columns such as `version` " +
        "are ignored). Each record is found by its external reference, else by `id`: a run again never duplicates (the same file answers `unchanged`). " +
        "Every row is checked before anything is written. `mode=atomic` (default): all or nothing; any bad row answers **422** with the errors " +
        "by row and field (`rows[3].signedOn`: the 3rd record) and writes nothing. `mode=per-row`: the good rows are written, each on its own, " +
        "and the bad ones are listed with their errors in the 200 response. `dryRun=true` checks everything and writes nothing. Each created or " +
        "updated record gets its change record in the feed and its history, as with single writes; running numbers and statistics include it " +
        "at once. At most 20 MiB (413 beyond) and 50,000 rows. Send an `Idempotency-Key` to retry safely.";

    public static RouteGroupBuilder MapAgreementImport(this RouteGroupBuilder agreements)
    {
        agreements.MapPost("/import", ImportAgreements)
            .WithName("ImportAgreements")
            .WithSummary("Import agreements (JSON lines or CSV)")
            .WithDescription(string.Format(System.Globalization.CultureInfo.InvariantCulture, Description, "agreements", "agreements",
                ", and `partnerSlug` instead of `partnerId` if you like", "; `type` and `partner_id` are taken too (a new row without `type` is an `mou`)") +
                " The JSON lines example imports the MOU with Kanagawa Prefecture (LINK-J's 14th partner, 2020-09-18): create the partner first (the example of " +
                "`POST /api/v1/partners`). The CSV example is a row of export.csv: it finds the seeded Osaka MOU by its id and changes nothing.")
            .WithIdempotencyKey()
            .WithMetadata(new RawBodyMetadata())
            .WithMetadata(new ImportExamplesMetadata(Examples.Requests.ImportAgreementsJsonLines, Examples.AgreementsCsv))
            .Accepts<string>(ImportReader.JsonLines, ImportReader.JsonLinesAlias, Csv.MediaType)
            .WithResponseExample(Examples.AgreementsImported)
            .ProducesWriteProblems();
        return agreements;
    }

    public static RouteGroupBuilder MapPartnerImport(this RouteGroupBuilder partners)
    {
        partners.MapPost("/import", ImportPartners)
            .WithName("ImportPartners")
            .WithSummary("Import partners (JSON lines or CSV)")
            .WithDescription(string.Format(System.Globalization.CultureInfo.InvariantCulture, Description, "partners", "partners", string.Empty, string.Empty) +
                " Former names in CSV are their Japanese names separated by `;`: the same list keeps the stored ones. The examples find the seeded Osaka " +
                "Prefecture by its id (the CSV one is a row of export.csv) and change nothing; import your partners before their agreements.")
            .WithIdempotencyKey()
            .WithMetadata(new RawBodyMetadata())
            .WithMetadata(new ImportExamplesMetadata(Examples.Requests.ImportPartnersJsonLines, Examples.PartnersCsv))
            .Accepts<string>(ImportReader.JsonLines, ImportReader.JsonLinesAlias, Csv.MediaType)
            .WithResponseExample(Examples.PartnersImported)
            .ProducesWriteProblems();
        return partners;
    }

    private static async Task<Ok<ImportResult>> ImportAgreements(
        bool? dryRun, string? mode, string? source, ISender sender, HttpContext http, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var importMode = ModeOf(mode);
        var rows = await ImportReader.ReadAgreementsAsync(http.Request, source, json.Value.SerializerOptions, cancellationToken);
        return TypedResults.Ok(await sender.Send(new ImportAgreementsCommand(rows, importMode, dryRun ?? false), cancellationToken));
    }

    private static async Task<Ok<ImportResult>> ImportPartners(
        bool? dryRun, string? mode, string? source, ISender sender, HttpContext http, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var importMode = ModeOf(mode);
        var rows = await ImportReader.ReadPartnersAsync(http.Request, source, json.Value.SerializerOptions, cancellationToken);
        return TypedResults.Ok(await sender.Send(new ImportPartnersCommand(rows, importMode, dryRun ?? false), cancellationToken));
    }

    private static ImportMode ModeOf(string? mode) => mode switch
    {
        null or "atomic" => ImportMode.Atomic,
        "per-row" => ImportMode.PerRow,
        _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "mode must be atomic or per-row.",
            new Dictionary<string, string[]> { ["mode"] = ["mode must be atomic or per-row."] }),
    };
}

/// <summary>The example bodies of an import, one for JSON lines and one for CSV, for its documentation.</summary>
public sealed record ImportExamplesMetadata(string JsonLines, string Csv);
