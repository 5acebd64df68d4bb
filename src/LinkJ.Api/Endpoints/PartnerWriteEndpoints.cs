using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Partners;
using LinkJ.Application.Partners.Commands.CreatePartner;
using LinkJ.Application.Partners.Commands.DeletePartner;
using LinkJ.Application.Partners.Commands.PatchPartner;
using LinkJ.Application.Partners.Commands.ReplacePartner;
using LinkJ.Application.Partners.Commands.UpsertPartnerByRef;
using LinkJ.Application.Security;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Endpoints;

/// <summary>Writes to partners: each needs an API key with <c>partners:write</c>; each change of an existing partner needs If-Match.</summary>
public static class PartnerWriteEndpoints
{
    public static IEndpointRouteBuilder MapPartnerWrites(this IEndpointRouteBuilder app)
    {
        var partners = app.MapGroup("/api/v1/partners").WithTags("Partners")
            .RequireAuthorization(ApiScopes.PartnersWrite)
            .RequireCors(CorsSetup.Writes)
            .AddEndpointFilter<StaleVersionFilter>();

        partners.MapPartnerImport();

        partners.MapPost("/", Create)
            .WithName("CreatePartner")
            .WithSummary("Create a partner")
            .WithDescription("Records a new partner organisation. Returns it with its ETag and Location. A slug already in use gets 409. Retry safely with `Idempotency-Key`.")
            .WithIdempotencyKey()
            .WithRequestExample(Examples.Requests.CreatePartner)
            .WithResponseExample(Examples.Partner)
            .ProducesWriteProblems();

        partners.MapPut("/{idOrSlug}", Replace)
            .WithName("ReplacePartner")
            .WithSummary("Replace a partner")
            .WithDescription("Replaces the partner's details. Needs `If-Match` with the ETag you read: a stale one gets 412 with the current ETag.")
            .WithRequestExample(Examples.Requests.ReplacePartner)
            .WithResponseExample(Examples.Partner)
            .ProducesWriteProblems(existing: true);

        partners.MapPatch("/{idOrSlug}", Patch)
            .WithName("PatchPartner")
            .WithSummary("Change some of a partner")
            .WithDescription("A JSON Merge Patch (RFC 7396, `application/merge-patch+json`) of the partner's fields: members to set, " +
                             "null to remove. The result is checked like a replace. Needs `If-Match`.")
            .Accepts<PartnerInput>(MergePatchBody.MediaType)
            .WithRequestExample(Examples.Requests.PatchPartner)
            .WithResponseExample(Examples.Partner)
            .ProducesWriteProblems(existing: true);

        partners.MapPut("/by-ref/{source}/{externalId}", Upsert)
            .WithName("UpsertPartnerByExternalRef")
            .WithSummary("Create or replace a partner by your own id")
            .WithDescription("For sync clients: PUT the partner under your system's name and your own id (`/by-ref/crm/P-77`). " +
                             "The first call creates it (201); a retry never creates a second. Changing it needs `If-Match`.")
            .WithRequestExample(Examples.Requests.UpsertPartner)
            .WithResponseExample(Examples.Partner)
            .ProducesWriteProblems(existing: true, ifMatchRequired: false);

        partners.MapDelete("/{idOrSlug}", Delete)
            .WithName("DeletePartner")
            .WithSummary("Delete a partner")
            .WithDescription("Removes a partner that has no agreements left (409 otherwise); it stays as a `deleted` tombstone in the " +
                             "change feed and its history. Needs `If-Match`.")
            .ProducesWriteProblems(existing: true);

        return app;
    }

    private static async Task<Created<PartnerDto>> Create(PartnerInput input, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var created = await sender.Send(new CreatePartnerCommand(PartnerFields.Parse(input)), cancellationToken);
        http.SetETag(created.Version);
        return TypedResults.Created($"/api/v1/partners/{created.Slug}", created);
    }

    private static async Task<Ok<PartnerDto>> Replace(string idOrSlug, PartnerInput input, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var version = http.Request.RequiredIfMatch();
        var partner = await sender.Send(new ReplacePartnerCommand(PartnerRef.Parse(idOrSlug), version, PartnerFields.Parse(input)), cancellationToken);
        http.SetETag(partner.Version);
        return TypedResults.Ok(partner);
    }

    private static async Task<Results<Created<PartnerDto>, Ok<PartnerDto>>> Upsert(
        string source, string externalId, PartnerInput input, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var version = http.Request.OptionalIfMatch();
        var result = await sender.Send(new UpsertPartnerByRefCommand(source, externalId, version, PartnerFields.Parse(input)), cancellationToken);
        http.SetETag(result.Value.Version);
        return result.Created
            ? TypedResults.Created($"/api/v1/partners/{result.Value.Slug}", result.Value)
            : TypedResults.Ok(result.Value);
    }

    private static async Task<Ok<PartnerDto>> Patch(string idOrSlug, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var version = http.Request.RequiredIfMatch();
        var patch = await http.Request.ReadMergePatchAsync(cancellationToken);
        var partner = await sender.Send(new PatchPartnerCommand(PartnerRef.Parse(idOrSlug), version, patch), cancellationToken);
        http.SetETag(partner.Version);
        return TypedResults.Ok(partner);
    }

    private static async Task<NoContent> Delete(string idOrSlug, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var version = http.Request.RequiredIfMatch();
        await sender.Send(new DeletePartnerCommand(PartnerRef.Parse(idOrSlug), version), cancellationToken);
        return TypedResults.NoContent();
    }
}
