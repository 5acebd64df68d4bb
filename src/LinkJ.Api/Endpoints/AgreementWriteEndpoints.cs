using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Commands.ActivateAgreement;
using LinkJ.Application.Agreements.Commands.CreateAgreement;
using LinkJ.Application.Agreements.Commands.DeleteAgreement;
using LinkJ.Application.Agreements.Commands.PatchAgreement;
using LinkJ.Application.Agreements.Commands.RenewAgreement;
using LinkJ.Application.Agreements.Commands.ReplaceAgreement;
using LinkJ.Application.Agreements.Commands.TerminateAgreement;
using LinkJ.Application.Agreements.Commands.UpsertAgreementByRef;
using LinkJ.Application.Security;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Endpoints;

/// <summary>Writes to agreements: each needs an API key with <c>agreements:write</c>; each change of an existing agreement needs If-Match.</summary>
public static class AgreementWriteEndpoints
{
    public static IEndpointRouteBuilder MapAgreementWrites(this IEndpointRouteBuilder app)
    {
        var agreements = app.MapGroup("/api/v1/agreements").WithTags("Agreements").RequireAuthorization(ApiScopes.AgreementsWrite).RequireCors(CorsSetup.Writes)
            .AddEndpointFilter<StaleVersionFilter>();

        agreements.MapAgreementImport();

        agreements.MapPost("/", Create)
            .WithName("CreateAgreement")
            .WithSummary("Create an agreement")
            .WithDescription("Records a new agreement with a partner, active by default (or `draft`). Returns it with its ETag and Location. Retry safely with `Idempotency-Key`.")
            .WithIdempotencyKey()
            .WithRequestExample(Examples.Requests.CreateAgreement)
            .WithResponseExample(Examples.Agreement)
            .ProducesWriteProblems();

        agreements.MapPut("/{id}", Replace)
            .WithName("ReplaceAgreement")
            .WithSummary("Replace an agreement")
            .WithDescription("Replaces the agreement's details. Needs `If-Match` with the ETag you read: a stale one gets 412 with the current ETag, " +
                             "so a change you have not seen is never overwritten. Sending the same details again changes nothing.")
            .WithRequestExample(Examples.Requests.ReplaceAgreement)
            .WithResponseExample(Examples.Agreement)
            .ProducesWriteProblems(existing: true);

        agreements.MapPatch("/{id}", Patch)
            .WithName("PatchAgreement")
            .WithSummary("Change some of an agreement")
            .WithDescription("A JSON Merge Patch (RFC 7396, `application/merge-patch+json`) of the agreement's fields: members to set, " +
                             "null to remove. The result is checked like a replace. Needs `If-Match`.")
            .Accepts<AgreementInput>(MergePatchBody.MediaType)
            .WithRequestExample(Examples.Requests.PatchAgreement)
            .WithResponseExample(Examples.Agreement)
            .ProducesWriteProblems(existing: true);

        agreements.MapPut("/by-ref/{source}/{externalId}", Upsert)
            .WithName("UpsertAgreementByExternalRef")
            .WithSummary("Create or replace an agreement by your own id")
            .WithDescription("For sync clients: PUT the agreement under your system's name and your own id (`/by-ref/crm/A-1024`). " +
                             "The first call creates it (201); a retry never creates a second. Resending what is stored: 200, no change; " +
                             "changing it needs `If-Match`. `status` applies only to a create.")
            .WithRequestExample(Examples.Requests.UpsertAgreement)
            .WithResponseExample(Examples.Agreement)
            .ProducesWriteProblems(existing: true, ifMatchRequired: false);

        agreements.MapDelete("/{id}", Delete)
            .WithName("DeleteAgreement")
            .WithSummary("Delete an agreement")
            .WithDescription("Removes the agreement from reads; it stays as a `deleted` tombstone in the change feed and its history. Needs `If-Match`.")
            .ProducesWriteProblems(existing: true);

        agreements.MapPost("/{id}/activate", Activate)
            .WithName("ActivateAgreement")
            .WithSummary("Activate a draft agreement")
            .WithDescription("Draft → active (→ expired at once if its validity has already ended). Needs `If-Match`.")
            .WithResponseExample(Examples.Agreement)
            .ProducesWriteProblems(existing: true);

        agreements.MapPost("/{id}/terminate", Terminate)
            .WithName("TerminateAgreement")
            .WithSummary("Terminate an active agreement")
            .WithDescription("Active → terminated, on a date and for a reason. Terminated is final. Needs `If-Match`.")
            .WithRequestExample(Examples.Requests.Terminate)
            .WithResponseExample(Examples.Agreement)
            .ProducesWriteProblems(existing: true);

        agreements.MapPost("/{id}/renew", Renew)
            .WithName("RenewAgreement")
            .Accepts<AgreementInput>("application/json")
            .WithSummary("Renew or supersede an agreement")
            .WithDescription("Creates the agreement that renews or supersedes this one: its details merged with the fields you send " +
                             "(at least a new `signedOn`), linked by `supersedesId`; an active one is terminated from the new one's start. " +
                             "Needs `If-Match`. A renewal is not a new partnership: no ordinal.")
            .WithRequestExample(Examples.Requests.Renew)
            .WithResponseExample(Examples.Agreement)
            .ProducesWriteProblems(existing: true);

        return app;
    }

    private static async Task<Created<AgreementDto>> Create(NewAgreementInput input, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var (fields, status) = AgreementFields.ParseNew(input);
        var created = await sender.Send(new CreateAgreementCommand(fields, status), cancellationToken);
        http.SetETag(created.Version);
        return TypedResults.Created($"/api/v1/agreements/{created.Id}", created);
    }

    private static async Task<Ok<AgreementDto>> Replace(string id, AgreementInput input, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreementId = ParseId(id);
        var version = http.Request.RequiredIfMatch();
        return Respond(http, await sender.Send(new ReplaceAgreementCommand(agreementId, version, AgreementFields.Parse(input)), cancellationToken));
    }

    private static async Task<Results<Created<AgreementDto>, Ok<AgreementDto>>> Upsert(
        string source, string externalId, NewAgreementInput input, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var version = http.Request.OptionalIfMatch();
        var (fields, status) = AgreementFields.ParseNew(input);
        var result = await sender.Send(new UpsertAgreementByRefCommand(source, externalId, version, fields, status), cancellationToken);
        http.SetETag(result.Value.Version);
        return result.Created
            ? TypedResults.Created($"/api/v1/agreements/{result.Value.Id}", result.Value)
            : TypedResults.Ok(result.Value);
    }

    private static async Task<Ok<AgreementDto>> Patch(string id, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreementId = ParseId(id);
        var version = http.Request.RequiredIfMatch();
        var patch = await http.Request.ReadMergePatchAsync(cancellationToken);
        return Respond(http, await sender.Send(new PatchAgreementCommand(agreementId, version, patch), cancellationToken));
    }

    private static async Task<Created<AgreementDto>> Renew(string id, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreementId = ParseId(id);
        var version = http.Request.RequiredIfMatch();
        var changes = await http.Request.ReadJsonObjectAsync(cancellationToken);
        var successor = await sender.Send(new RenewAgreementCommand(agreementId, version, changes), cancellationToken);
        http.SetETag(successor.Version);
        return TypedResults.Created($"/api/v1/agreements/{successor.Id}", successor);
    }

    private static async Task<NoContent> Delete(string id, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreementId = ParseId(id);
        var version = http.Request.RequiredIfMatch();
        await sender.Send(new DeleteAgreementCommand(agreementId, version), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AgreementDto>> Activate(string id, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreementId = ParseId(id);
        var version = http.Request.RequiredIfMatch();
        return Respond(http, await sender.Send(new ActivateAgreementCommand(agreementId, version), cancellationToken));
    }

    private static async Task<Ok<AgreementDto>> Terminate(string id, TerminationInput input, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreementId = ParseId(id);
        var version = http.Request.RequiredIfMatch();
        return Respond(http, await sender.Send(TerminateAgreementCommand.Parse(agreementId, version, input.On, input.Reason), cancellationToken));
    }

    private static Ok<AgreementDto> Respond(HttpContext http, AgreementDto agreement)
    {
        http.SetETag(agreement.Version);
        return TypedResults.Ok(agreement);
    }

    private static Guid ParseId(string id) =>
        Guid.TryParse(id, out var agreementId) ? agreementId : throw new DomainException(AgreementErrors.NotFound);
}

/// <summary>When and why an agreement ended.</summary>
/// <param name="On">The termination date, YYYY-MM-DD.</param>
/// <param name="Reason">Why it ended.</param>
public sealed record TerminationInput(string? On, string? Reason);
