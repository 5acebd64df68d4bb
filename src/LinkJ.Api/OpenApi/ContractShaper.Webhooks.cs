using System.Text.Json.Nodes;
using LinkJ.Application.Webhooks;

namespace LinkJ.Api.OpenApi;

/// <summary>
/// The events the service POSTs to webhook subscribers (ADR 0035), in <c>x-webhooks</c> (OpenAPI 3.1's <c>webhooks</c>,
/// as ReDoc reads it in 3.0): one POST with the Standard Webhooks headers, its body one of the payload schemas
/// (ChangeEvent, AgreementExpiringEvent, PingEvent), which generated clients get as types.
/// </summary>
internal static partial class ContractShaper
{
    private static readonly string[] AgreementChanges =
    [
        WebhookEventTypes.AgreementCreated, WebhookEventTypes.AgreementUpdated, WebhookEventTypes.AgreementDeleted,
        WebhookEventTypes.AgreementActivated, WebhookEventTypes.AgreementTerminated, WebhookEventTypes.AgreementRenewed,
    ];

    private static readonly string[] PartnerChanges =
        [WebhookEventTypes.PartnerCreated, WebhookEventTypes.PartnerUpdated, WebhookEventTypes.PartnerDeleted];

    private static void DescribeWebhooks(JsonObject document)
    {
        var components = document["components"]!.AsObject();
        var schemas = components["schemas"]!.AsObject();
        if (!schemas.ContainsKey("Webhook"))
        {
            return;
        }

        // The event types, as a closed list wherever a subscription or a delivery names them.
        schemas["WebhookEventType"] = EventTypes(WebhookEventTypes.All);
        foreach (var name in new[] { "Webhook", "WebhookInput", "WebhookPatch" })
        {
            if (schemas[name]?["properties"]?["eventTypes"] is JsonObject list)
            {
                list["items"] = new JsonObject { ["$ref"] = "#/components/schemas/WebhookEventType" };
            }
        }

        if (schemas["WebhookDelivery"]?["properties"] is JsonObject delivery)
        {
            delivery["eventType"] = EventTypes([.. WebhookEventTypes.All, WebhookEventTypes.Ping]);
            delivery["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("pending", "succeeded", "failed") };
        }

        schemas["ChangeEvent"] = Event([.. AgreementChanges, .. PartnerChanges],
            "A partner or an agreement changed (`activated`/`terminated`: status changes; `renewed`: created by a renewal).", ChangeData());
        schemas["AgreementExpiringEvent"] = Event([WebhookEventTypes.AgreementExpiring], "An agreement in force ends soon: sent once per reminder (by default 90, 30 and 7 days before).",
            new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("id", "resource"),
                ["properties"] = new JsonObject
                {
                    ["resourceType"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("agreement") },
                    ["id"] = Uuid(),
                    ["daysBefore"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 0, ["maximum"] = 3660, ["description"] = "The reminder: days before `endsOn`." },
                    ["endsOn"] = new JsonObject { ["type"] = "string", ["format"] = "date", ["description"] = "The agreement's last day in force." },
                    ["resource"] = new JsonObject { ["$ref"] = "#/components/schemas/Agreement" },
                },
            });
        schemas["PingEvent"] = Event([WebhookEventTypes.Ping], "Sent by `POST /api/v1/webhooks/{id}/ping`.", new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("webhookId"),
            ["properties"] = new JsonObject { ["webhookId"] = Uuid() },
            ["additionalProperties"] = false,
        });

        var parameters = components["parameters"]!.AsObject();
        parameters["webhook-id"] = WebhookHeader("webhook-id", "The message id: the same on every retry and redelivery. Deduplicate on it.", "msg_0193a5e07c1e7b7a9f004c494e4b4a03", 100);
        parameters["webhook-timestamp"] = WebhookHeader("webhook-timestamp", "Unix seconds when it was sent; refuse old ones (the libraries allow 5 minutes).", "1796634000", 20);
        parameters["webhook-signature"] = WebhookHeader("webhook-signature",
            "`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the secret; while a rotated secret still signs, two, space-separated (the previous secret's first).",
            "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=", 500);

        components["responses"]!["WebhookReceived"] = new JsonObject
        {
            ["description"] = "Received (answer within 15 s). 429, 5xx and timeouts are retried for 3 days; other statuses fail the event.",
        };
        // One entry: every event is the same POST, its body one of the payloads (by `type`).
        document["x-webhooks"] = new JsonObject
        {
            // No example: a linter reads `nullable` beside `oneOf` as not allowing the null of a deleted resource, and
            // the schemas say it all (WebhookPayloadContractTests holds real deliveries to them).
            ["event"] = Delivery(["ChangeEvent", "AgreementExpiringEvent", "PingEvent"]),
        };

        foreach (var name in new[] { "ChangeEvent", "AgreementExpiringEvent", "PingEvent" })
        {
            foreach (var schema in Nested(schemas[name]!.AsObject()))
            {
                Bound(schema);
            }
        }
    }

    private static JsonObject EventTypes(IEnumerable<string> types) =>
        new() { ["type"] = "string", ["enum"] = new JsonArray([.. types.Select(t => (JsonNode)JsonValue.Create(t)!)]) };

    private static JsonObject Uuid() => new() { ["type"] = "string", ["format"] = "uuid" };

    /// <summary>The envelope every event has: its type, when, and the data of its kind.</summary>
    private static JsonObject Event(IEnumerable<string> types, string description, JsonObject data) => new()
    {
        ["type"] = "object",
        ["description"] = description,
        ["required"] = new JsonArray("type", "timestamp", "data"),
        ["properties"] = new JsonObject
        {
            ["type"] = EventTypes(types),
            ["timestamp"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            ["data"] = data,
        },
        ["additionalProperties"] = false,
    };

    /// <summary>A change of the feed: where it stands, what changed, and the resource as a read returns it (null once deleted).</summary>
    private static JsonObject ChangeData() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("position", "resourceType", "id", "version", "operation", "changedFields", "resource"),
        ["properties"] = new JsonObject
        {
            ["position"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 1, ["description"] = "In the change feed." },
            ["resourceType"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("agreement", "partner") },
            ["id"] = Uuid(),
            ["version"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 1 },
            ["operation"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("created", "updated", "deleted") },
            ["changedFields"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            ["resource"] = new JsonObject
            {
                ["oneOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/Agreement" }, new JsonObject { ["$ref"] = "#/components/schemas/Partner" }),
                ["type"] = "object",
                ["nullable"] = true,
                ["description"] = "The `resourceType` as `GET …/{id}` returns it; null once deleted.",
            },
        },
        ["additionalProperties"] = false,
    };

    private static JsonObject WebhookHeader(string name, string description, string example, int maxLength) => new()
    {
        ["name"] = name,
        ["in"] = "header",
        ["description"] = description,
        ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = maxLength },
        ["example"] = example,
    };

    /// <summary>The x-webhooks entry: the POST a subscriber receives, with the Standard Webhooks headers.</summary>
    private static JsonObject Delivery(string[] schemas) => new()
    {
        ["post"] = new JsonObject
        {
            ["tags"] = new JsonArray("Webhooks"),
            ["summary"] = "An event, POSTed to a subscription's URL",
            ["operationId"] = "WebhookEvent",
            ["parameters"] = new JsonArray(
                new JsonObject { ["$ref"] = "#/components/parameters/webhook-id" },
                new JsonObject { ["$ref"] = "#/components/parameters/webhook-timestamp" },
                new JsonObject { ["$ref"] = "#/components/parameters/webhook-signature" }),
            ["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject
                    {
                        ["schema"] = new JsonObject { ["oneOf"] = new JsonArray([.. schemas.Select(n => (JsonNode)new JsonObject { ["$ref"] = "#/components/schemas/" + n })]) },
                    },
                },
            },
            ["responses"] = new JsonObject { ["2XX"] = new JsonObject { ["$ref"] = "#/components/responses/WebhookReceived" } },
            ["security"] = new JsonArray(),
        },
    };

    /// <summary>A schema and the schemas inside it (properties, items, allOf), for the bounds.</summary>
    private static IEnumerable<JsonObject> Nested(JsonObject schema)
    {
        yield return schema;
        foreach (var child in (schema["properties"]?.AsObject() ?? []).Select(p => p.Value)
                     .Append(schema["items"]).Append(schema["additionalProperties"]).OfType<JsonObject>())
        {
            foreach (var nested in Nested(child))
            {
                yield return nested;
            }
        }
    }
}
