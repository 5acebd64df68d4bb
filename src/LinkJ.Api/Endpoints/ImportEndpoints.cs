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
        "Creates or replaces many {0} from JSON lines (one PUT by-ref body a line, plus `externalRef` {{source, id}} or a stored `id`{1}) " +
        "or export.csv's CSV (plus `external_source`, `external_id`; a row sets only its columns' fields). Found by external reference, " +
        "else id: a re-run never duplicates. Every row is checked first. `mode=atomic` (default): a bad row → 422 with errors by " +
        "`rows[n].field`, nothing written; `mode=per-row`: good rows written, bad ones listed. `dryRun=true` writes nothing. " +
        "Rows reach the feed and history as single writes do. ≤ 20 MiB (413), 50,000 rows. `application/jsonl` is JSON lines too.";

    public static RouteGroupBuilder MapAgreementImport(this RouteGroupBuilder agreements)
    {
        agreements.MapPost("/import", ImportAgreements)
            .WithName("ImportAgreements")
            .WithSummary("Import agreements (JSON lines or CSV)")
            .WithDescription(string.Format(System.Globalization.CultureInfo.InvariantCulture, Description, "agreements", "; `partnerSlug` may name the partner") +
                " Examples: the MOU with Kanagawa Prefecture (create the partner first with `POST /api/v1/partners`'s example); " +
                "export.csv's Osaka row.")
            .WithIdempotencyKey(StatusCodes.Status200OK)
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
            .WithDescription(string.Format(System.Globalization.CultureInfo.InvariantCulture, Description, "partners", string.Empty) +
                " Examples: the seeded Osaka Prefecture by id (unchanged). Import partners before their agreements.")
            .WithIdempotencyKey(StatusCodes.Status200OK)
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
        source = SourceOf(http.Request);
        var rows = await ImportReader.ReadAgreementsAsync(http.Request, source, json.Value.SerializerOptions, cancellationToken);
        return TypedResults.Ok(await sender.Send(new ImportAgreementsCommand(rows, importMode, dryRun ?? false), cancellationToken));
    }

    private static async Task<Ok<ImportResult>> ImportPartners(
        bool? dryRun, string? mode, string? source, ISender sender, HttpContext http, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var importMode = ModeOf(mode);
        source = SourceOf(http.Request);
        var rows = await ImportReader.ReadPartnersAsync(http.Request, source, json.Value.SerializerOptions, cancellationToken);
        return TypedResults.Ok(await sender.Send(new ImportPartnersCommand(rows, importMode, dryRun ?? false), cancellationToken));
    }

    /// <summary>
    /// ?source=, checked whether or not a row falls back to it: bad input is refused even where it would go unused
    /// (given empty or twice too).
    /// </summary>
    private static string? SourceOf(HttpRequest request)
    {
        if (!request.Query.TryGetValue("source", out var values))
        {
            return null;
        }

        var source = values.Count == 1 ? values[0] : null;
        if (source is null || source.Length > 40 || !Domain.Common.Slug.IsValid(source))
        {
            var message = Domain.Common.ExternalReference.InvalidSource.Message;
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, message,
                new Dictionary<string, string[]> { ["source"] = [message] });
        }

        return source;
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
