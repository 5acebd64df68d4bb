using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Application.Security;
using LinkJ.Application.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Endpoints.Webhooks;

/// <summary>Webhook subscriptions and their delivery log (ADR 0035): an API key with <c>webhooks:manage</c> or <c>admin</c>.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks")
            .RequireAuthorization(ApiScopes.WebhooksManage)
            .RequireCors(CorsSetup.Writes)
            .WithMetadata(new NotKeyedOnDataVersion())
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "no-store";
                return await next(context);
            });

        webhooks.MapPost("/", Create)
            .WithName("CreateWebhook")
            .WithSummary("Subscribe to events")
            .WithDescription("The events asked for are POSTed to the URL from the change feed, signed as Standard Webhooks (payloads: " +
                             "`x-webhooks`; verifying: docs/webhooks.md). The answer holds the signing secret (`whsec_…`), shown this once.")
            .WithRequestExample(WebhookExamples.CreateRequest)
            .WithResponseExample(WebhookExamples.Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesManageProblems(existing: false, body: true);

        webhooks.MapGet("/", List)
            .WithName("ListWebhooks")
            .WithSummary("List webhook subscriptions")
            .WithDescription("Every subscription, oldest first, without secrets; a disabled one says why.")
            .WithResponseExample(WebhookExamples.List)
            .ProducesManageProblems(existing: false);

        webhooks.MapGet("/{id:guid}", Get)
            .WithName("GetWebhook")
            .WithSummary("Get a webhook subscription")
            .WithDescription("One subscription, without its secret.")
            .WithResponseExample(WebhookExamples.Webhook)
            .ProducesManageProblems(existing: true);

        webhooks.MapPatch("/{id:guid}", Patch)
            .WithName("PatchWebhook")
            .WithSummary("Change a webhook subscription")
            .WithDescription("Members sent change, others stay. `enabled: true` re-enables a subscription that was disabled after " +
                             "its retry window: what is still queued is then sent.")
            .WithRequestExample(WebhookExamples.PatchRequest)
            .WithResponseExample(WebhookExamples.Webhook)
            .ProducesManageProblems(existing: true, body: true);

        webhooks.MapDelete("/{id:guid}", Delete)
            .WithName("DeleteWebhook")
            .WithSummary("Delete a webhook subscription")
            .WithDescription("Nothing more is sent to it; its delivery log goes with it.")
            .ProducesManageProblems(existing: true);

        webhooks.MapPost("/{id:guid}/rotate-secret", Rotate)
            .WithName("RotateWebhookSecret")
            .WithSummary("Rotate the signing secret")
            .WithDescription("Answers a new secret (shown this once). For the overlap (24 h by default) every delivery carries two " +
                             "signatures, one per secret, so the receiver can switch at its own pace.")
            .WithResponseExample(WebhookExamples.Created)
            .ProducesManageProblems(existing: true);

        webhooks.MapPost("/{id:guid}/ping", Ping)
            .WithName("PingWebhook")
            .WithSummary("Send a test event")
            .WithDescription("Queues a `webhook.ping`, sent and logged like any event.")
            .WithResponseExample(WebhookExamples.Ping)
            .ProducesManageProblems(existing: true);

        webhooks.MapGet("/{id:guid}/deliveries", Deliveries)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The delivery log")
            .WithDescription("Newest first: each event's status (`pending`, `succeeded`, `failed`), attempts, the receiver's last " +
                             "status code and the first 1 KB of its answer. Pass `next` as `before` for the next page.")
            .WithResponseExample(WebhookExamples.Deliveries)
            .ProducesManageProblems(existing: true);

        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", Redeliver)
            .WithName("RedeliverWebhook")
            .WithSummary("Send an event again")
            .WithDescription("Queues the delivery's event again, with the same `webhook-id`, behind what is already queued.")
            .WithResponseExample(WebhookExamples.Redelivery)
            .ProducesManageProblems(existing: true);

        return app;
    }

    private static RouteHandlerBuilder ProducesManageProblems(this RouteHandlerBuilder builder, bool existing, bool body = false)
    {
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        if (existing)
        {
            builder.ProducesProblem(StatusCodes.Status404NotFound);
        }

        if (body)
        {
            builder.ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        }

        return builder.ProducesCommonProblems();
    }

    private static async Task<Created<WebhookWithSecretDto>> Create(WebhookInput input, IWebhookAdmin admin, CancellationToken cancellationToken)
    {
        var created = await admin.CreateAsync(input, cancellationToken);
        return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
    }

    private static async Task<Ok<WebhookListDto>> List(IWebhookAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.ListAsync(cancellationToken));

    private static async Task<Ok<WebhookDto>> Get(Guid id, IWebhookAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.GetAsync(id, cancellationToken));

    private static async Task<Ok<WebhookDto>> Patch(Guid id, WebhookPatch patch, IWebhookAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.PatchAsync(id, patch, cancellationToken));

    private static async Task<NoContent> Delete(Guid id, IWebhookAdmin admin, CancellationToken cancellationToken)
    {
        await admin.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WebhookWithSecretDto>> Rotate(Guid id, IWebhookAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.RotateSecretAsync(id, cancellationToken));

    private static async Task<Accepted<WebhookDeliveryDto>> Ping(Guid id, IWebhookAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Accepted((string?)null, await admin.PingAsync(id, cancellationToken));

    // The page is parsed here, once (ADR 0054): a bad before or limit is a 400 before the subscription is looked up.
    // (A comment, not a doc comment: a handler's summary would become the operation's in the OpenAPI document.)
    private static async Task<Ok<WebhookDeliveryPageDto>> Deliveries(Guid id, string? before, int? limit, IWebhookAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.DeliveriesAsync(id, DeliveryLogPage.Parse(before, limit), cancellationToken));

    private static async Task<Accepted<WebhookDeliveryDto>> Redeliver(Guid id, Guid deliveryId, IWebhookAdmin admin, CancellationToken cancellationToken) =>
        TypedResults.Accepted((string?)null, await admin.RedeliverAsync(id, deliveryId, cancellationToken));
}
