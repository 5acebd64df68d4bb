using System.Text.Json.Nodes;
using LinkJ.Application.Webhooks;

namespace LinkJ.Api.Endpoints.Webhooks;

/// <summary>Examples of the webhook operations in the OpenAPI document.</summary>
public static class WebhookExamples
{
    private static readonly Guid Id = Guid.Parse("0193a5e0-7c1e-7b7a-9f00-4c494e4b4a01");
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    public static JsonObject CreateRequest => new()
    {
        ["url"] = "https://crm.link-j.example/hooks/linkj",
        ["eventTypes"] = new JsonArray("agreement.created", "agreement.updated", "agreement.expiring"),
        ["description"] = "CRM: partnership records",
    };

    public static JsonObject PatchRequest => new() { ["enabled"] = true };

    public static WebhookDto Webhook { get; } = new(Id, "https://crm.link-j.example/hooks/linkj",
        ["agreement.created", "agreement.updated", "agreement.expiring"], "CRM: partnership records", true, null, null, null, At, At);

    public static WebhookWithSecretDto Created { get; } = new(Webhook, "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD");

    public static WebhookListDto List { get; } = new([Webhook]);

    /// <summary>What ping and redeliver answer: the queued delivery (one example for both, the document has a size budget).</summary>
    public static WebhookDeliveryDto Ping => Redelivery;

    public static WebhookDeliveryDto Redelivery { get; } = new(Guid.Parse("0193a5e0-7c1e-7b7a-9f00-4c494e4b4a04"), "msg_0193a5e07c1e7b7a9f004c494e4b4a03",
        WebhookEventTypes.AgreementUpdated, 120, "pending", 0, At, null, null, null, null, At);

    public static WebhookDeliveryPageDto Deliveries { get; } = new(
    [
        new(Guid.Parse("0193a5e0-7c1e-7b7a-9f00-4c494e4b4a03"), "msg_0193a5e07c1e7b7a9f004c494e4b4a03", WebhookEventTypes.AgreementUpdated, 120,
            "succeeded", 2, null, At.AddMinutes(5), 200, "ok", null, At),
    ], null);
}
