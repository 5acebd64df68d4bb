using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>Helpers of the webhook tests: subscriptions made over the API, writes that produce events, the delivery log.</summary>
public abstract class WebhookTest(ApiFactory factory) : WriteTest(factory)
{
    private string? _manageKey;

    protected async Task<string> ManageKeyAsync() => _manageKey ??= await CreateKeyAsync("webhooks:manage");

    /// <summary>Creates a subscription; returns its id and its secret.</summary>
    protected async Task<(string Id, string Secret)> SubscribeAsync(string url, params string[] eventTypes)
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/webhooks", await ManageKeyAsync(),
            new { url, eventTypes = eventTypes.Length > 0 ? eventTypes : ["agreement.created", "agreement.updated", "agreement.deleted"] }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body + string.Join("\n", Factory.Logs.Lines.Where(l => l.Contains("xception", StringComparison.Ordinal)).TakeLast(2)));
        var json = JsonNode.Parse(body)!;
        return (json["webhook"]!["id"]!.GetValue<string>(), json["secret"]!.GetValue<string>());
    }

    protected async Task<JsonNode> ManageAsync(HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.SendAsync(Request(method, url, await ManageKeyAsync(), body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    protected async Task<JsonArray> DeliveriesAsync(string webhookId) =>
        (await ManageAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhookId}/deliveries?limit=200"))["items"]!.AsArray();

    /// <summary>Changes an agreement's English title; returns the new ETag.</summary>
    protected async Task<string> RetitleAsync(string key, string id, string etag, string title)
    {
        using var request = Request(HttpMethod.Patch, $"/api/v1/agreements/{id}", key, ifMatch: etag);
        request.Content = new StringContent(new JsonObject { ["title"] = new JsonObject { ["ja"] = "改題 " + title, ["en"] = title } }.ToJsonString(),
            System.Text.Encoding.UTF8, "application/merge-patch+json");
        using var response = await Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response.Headers.ETag!.Tag;
    }

    /// <summary>Waits until the subscription's log satisfies <paramref name="condition"/>.</summary>
    protected async Task<JsonArray> WaitForDeliveriesAsync(string webhookId, Func<JsonArray, bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var deliveries = await DeliveriesAsync(webhookId);
            if (condition(deliveries))
            {
                return deliveries;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}. Log: {deliveries.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    protected static JsonNode Payload(ReceivedWebhook received) => JsonNode.Parse(received.Body)!;

}
