using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>
/// The events the dispatcher POSTs are part of the contract: every body a real receiver gets must match the payload
/// schema the served OpenAPI document gives for its type (<c>x-webhooks</c>), with the Standard Webhooks headers it lists.
/// </summary>
public sealed class WebhookPayloadContractTests(ApiFactory factory) : WebhookTest(factory)
{
    private static readonly string[] ProducedHere =
    [
        "agreement.created", "agreement.updated", "agreement.activated", "agreement.renewed", "agreement.terminated", "agreement.deleted",
        "partner.created", "partner.updated", "partner.deleted", "webhook.ping",
    ];

    [Fact]
    public async Task Deliver_WhenEveryKindOfChangeHappens_ShouldPostBodiesThatMatchTheDocumentedPayloadSchemas()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhookId, _) = await SubscribeAsync(receiver.UrlFor(),
            "agreement.created", "agreement.updated", "agreement.deleted", "agreement.activated", "agreement.terminated",
            "agreement.renewed", "agreement.expiring", "partner.created", "partner.updated", "partner.deleted");
        var partners = await CreateKeyAsync("partners:write");
        var agreements = await CreateKeyAsync("agreements:write");
        using var host = new WebhookHost(Factory).Start();

        // Each write waits for its event, so that every kind is seen once in a known order (naming does not depend on
        // it: Deliver_WhenLaterChangesOvertake… below).
        async Task Expect(string type) =>
            await receiver.WaitForAsync(r => r.Any(x => Payload(x)["type"]?.GetValue<string>() == type), type, seconds: 30);

        // partner.created, .updated, .deleted
        var slug = "webhook-contract-" + Guid.NewGuid().ToString("N")[..8];
        var (partner, partnerETag) = await WriteAsync(HttpMethod.Post, "/api/v1/partners", partners, new JsonObject
        {
            ["slug"] = slug, ["name"] = new JsonObject { ["ja"] = "契約検証財団", ["en"] = "Contract Check Foundation" },
            ["kind"] = "foundation", ["country"] = "JP",
        }, HttpStatusCode.Created);
        await Expect("partner.created");
        (_, partnerETag) = await WriteAsync(HttpMethod.Patch, $"/api/v1/partners/{slug}", partners,
            new JsonObject { ["website"] = "https://contract-check.example/" }, HttpStatusCode.OK, partnerETag, "application/merge-patch+json");
        await Expect("partner.updated");
        await WriteAsync(HttpMethod.Delete, $"/api/v1/partners/{partner["id"]}", partners, null, HttpStatusCode.NoContent, partnerETag);
        await Expect("partner.deleted");

        // agreement.created (a draft), .updated, .activated, then a renewal: .renewed for the new one, .terminated for
        // the one it supersedes; then the renewal is deleted.
        var draft = JsonSerializer.SerializeToNode(NewAgreement(await PartnerIdAsync()), Json)!.AsObject();
        draft["status"] = "draft";
        var (agreement, etag) = await WriteAsync(HttpMethod.Post, "/api/v1/agreements", agreements, draft, HttpStatusCode.Created);
        await Expect("agreement.created");
        var id = agreement["id"]!.GetValue<string>();
        etag = await RetitleAsync(agreements, id, etag, "Contract check");
        await Expect("agreement.updated");
        (_, etag) = await WriteAsync(HttpMethod.Post, $"/api/v1/agreements/{id}/activate", agreements, null, HttpStatusCode.OK, etag);
        await Expect("agreement.activated");
        var (renewal, renewalETag) = await WriteAsync(HttpMethod.Post, $"/api/v1/agreements/{id}/renew", agreements,
            new JsonObject { ["signedOn"] = "2026-01-10" }, HttpStatusCode.Created, etag);
        await Expect("agreement.renewed");
        await Expect("agreement.terminated");
        await WriteAsync(HttpMethod.Delete, $"/api/v1/agreements/{renewal["id"]}", agreements, null, HttpStatusCode.NoContent, renewalETag);
        await Expect("agreement.deleted");

        await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhookId}/ping", expected: HttpStatusCode.Accepted);
        await Expect("webhook.ping");

        var contract = new OpenApiContract(await Client.GetStringAsync("/swagger/v1/swagger.json"));
        var violations = receiver.Received
            .SelectMany(r => contract.CheckWebhook(r.Body, r.Headers.Keys.ToList()))
            .ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.Equal(ProducedHere.Order(StringComparer.Ordinal),
            receiver.Received.Select(r => Payload(r)["type"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Every event is named as its change left the resource, not as the resource is when the dispatcher gets to it: here
    /// all the writes happen before any dispatcher runs, so each later write has overtaken the earlier ones.
    /// </summary>
    [Fact]
    public async Task Deliver_WhenLaterChangesOvertakeAnEarlierOneBeforeItIsQueued_ShouldNameEachEventAsItsChangeLeftTheResource()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await SubscribeAsync(receiver.UrlFor(), "agreement.created", "agreement.updated", "agreement.deleted", "agreement.activated",
            "agreement.terminated", "agreement.renewed");
        var agreements = await CreateKeyAsync("agreements:write");
        var draft = JsonSerializer.SerializeToNode(NewAgreement(await PartnerIdAsync()), Json)!.AsObject();
        draft["status"] = "draft";
        var (agreement, etag) = await WriteAsync(HttpMethod.Post, "/api/v1/agreements", agreements, draft, HttpStatusCode.Created);
        var id = agreement["id"]!.GetValue<string>();
        (_, etag) = await WriteAsync(HttpMethod.Post, $"/api/v1/agreements/{id}/activate", agreements, null, HttpStatusCode.OK, etag);
        var (renewal, renewalETag) = await WriteAsync(HttpMethod.Post, $"/api/v1/agreements/{id}/renew", agreements,
            new JsonObject { ["signedOn"] = "2026-01-10" }, HttpStatusCode.Created, etag);
        var renewalId = renewal["id"]!.GetValue<string>();
        await WriteAsync(HttpMethod.Delete, $"/api/v1/agreements/{renewalId}", agreements, null, HttpStatusCode.NoContent, renewalETag);

        using var host = new WebhookHost(Factory).Start();
        await receiver.WaitForAsync(r => r.Count >= 5, "the five events", seconds: 30);

        string[] TypesOf(string resourceId) =>
        [
            .. receiver.Received.Select(Payload).Where(p => p["data"]!["id"]!.GetValue<string>() == resourceId)
                .OrderBy(p => p["data"]!["version"]!.GetValue<int>()).Select(p => p["type"]!.GetValue<string>()),
        ];
        Assert.Equal(["agreement.created", "agreement.activated", "agreement.terminated"], TypesOf(id));
        Assert.Equal(["agreement.renewed", "agreement.deleted"], TypesOf(renewalId));
    }

    /// <summary>The check above can fail: a body that leaves out, adds or mistypes a member breaks the documented schema.</summary>
    [Theory]
    [InlineData("without position")]
    [InlineData("with a member the document does not know")]
    [InlineData("with an event type the document does not list")]
    [InlineData("without the signature header")]
    public async Task CheckWebhook_WhenADeliveryBreaksTheDocument_ShouldSaySo(string breakage)
    {
        var document = JsonNode.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var contract = new OpenApiContract(document.ToJsonString());
        var body = JsonNode.Parse("""
            {"type":"agreement.deleted","timestamp":"2026-12-07T09:00:00.0000000Z","data":{"position":120,"resourceType":"agreement",
             "id":"16cb5510-ff27-5421-a560-012333c7e763","version":3,"operation":"deleted","changedFields":[],"resource":null}}
            """)!.AsObject();
        string[] headers = ["webhook-id", "webhook-timestamp", "webhook-signature"];
        Assert.Empty(contract.CheckWebhook(body.ToJsonString(), headers)); // a tombstone as the dispatcher sends it keeps it

        switch (breakage)
        {
            case "without position":
                body["data"]!.AsObject().Remove("position");
                break;
            case "with a member the document does not know":
                body["data"]!["tenant"] = "x";
                break;
            case "with an event type the document does not list":
                body["type"] = "agreement.archived";
                break;
            default:
                headers = headers[..2];
                break;
        }

        Assert.NotEmpty(contract.CheckWebhook(body.ToJsonString(), headers));
    }

    private async Task<(JsonNode Body, string ETag)> WriteAsync(HttpMethod method, string url, string key, JsonObject? body, HttpStatusCode expected,
        string? ifMatch = null, string mediaType = "application/json")
    {
        using var request = Request(method, url, key, ifMatch: ifMatch);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url} → {(int)response.StatusCode}: {text}");
        return (text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!, response.Headers.ETag?.Tag ?? string.Empty);
    }
}
