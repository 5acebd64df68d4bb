using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>Issue 18, item 1: subscriptions over <c>/api/v1/webhooks</c>, the secret shown once and stored encrypted.</summary>
public sealed class WebhookSubscriptionTests(ApiFactory factory) : WebhookTest(factory)
{
    [Fact]
    public async Task Create_WhenTheKeyHasWebhooksManage_ShouldAnswerTheSecretOnceAndStoreItEncrypted()
    {
        var (id, secret) = await SubscribeAsync("https://crm.link-j.example/hooks", "agreement.created", "partner.deleted");

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var read = await ManageAsync(HttpMethod.Get, $"/api/v1/webhooks/{id}");
        Assert.Null(read["secret"]);
        Assert.Equal("https://crm.link-j.example/hooks", read["url"]!.GetValue<string>());
        Assert.True(read["enabled"]!.GetValue<bool>());
        Assert.DoesNotContain(secret, (await ManageAsync(HttpMethod.Get, "/api/v1/webhooks")).ToJsonString(), StringComparison.Ordinal);
        var stored = await Factory.ScalarAsync<string>($"SELECT secret FROM webhook_subscriptions WHERE id = '{id}'");
        Assert.False(string.IsNullOrEmpty(stored));
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        Assert.True(await Factory.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys") >= 1);
    }

    [Fact]
    public async Task Create_WhenTheKeyIsAdmin_ShouldReturn201()
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/webhooks", await CreateKeyAsync("admin"),
            new { url = "https://crm.link-j.example/hooks", eventTypes = new[] { "agreement.expiring" } }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task Webhooks_WhenAnonymousOrTheKeyLacksTheScope_ShouldReturn401Or403AndChangeNothing()
    {
        var before = await SnapshotAsync();
        var body = new { url = "https://crm.link-j.example/hooks", eventTypes = new[] { "agreement.created" } };

        using (var anonymous = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/webhooks", null, body)))
        {
            await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        }

        var writer = await CreateKeyAsync("agreements:write", "sync:read");
        before = await SnapshotAsync();
        using (var forbidden = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/webhooks", writer, body)))
        {
            await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, "auth.forbidden");
        }

        using (var list = await Client.SendAsync(Request(HttpMethod.Get, "/api/v1/webhooks", writer)))
        {
            await AssertProblemAsync(list, HttpStatusCode.Forbidden, "auth.forbidden");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("http://crm.link-j.example/hooks", "webhook.url-invalid")]
    [InlineData("ftp://crm.link-j.example/hooks", "webhook.url-invalid")]
    [InlineData("https://user:pw@crm.link-j.example/hooks", "webhook.url-invalid")]
    [InlineData("/relative", "webhook.url-invalid")]
    public async Task Create_WhenTheUrlIsNotAnHttpsUrl_ShouldReturn400AndChangeNothing(string url, string code)
    {
        var key = await ManageKeyAsync();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/webhooks", key, new { url, eventTypes = new[] { "agreement.created" } }));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Create_WhenAnEventTypeIsUnknownOrNoneIsGiven_ShouldReturn400()
    {
        var key = await ManageKeyAsync();

        using (var unknown = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/webhooks", key, new { url = "https://a.example/h", eventTypes = new[] { "agreement.exploded" } })))
        {
            await AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "webhook.event-type-unknown");
        }

        using var none = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/webhooks", key, new { url = "https://a.example/h", eventTypes = Array.Empty<string>() }));
        await AssertProblemAsync(none, HttpStatusCode.BadRequest, "webhook.event-types-required");
    }

    [Fact]
    public async Task Patch_WhenDisablingThenEnabling_ShouldSayWhyAndClearIt()
    {
        var (id, _) = await SubscribeAsync("https://crm.link-j.example/hooks");

        var disabled = await ManageAsync(HttpMethod.Patch, $"/api/v1/webhooks/{id}", new { enabled = false, eventTypes = new[] { "partner.created" } });
        Assert.False(disabled["enabled"]!.GetValue<bool>());
        Assert.Equal("Disabled by request.", disabled["disabledReason"]!.GetValue<string>());
        Assert.Equal(["partner.created"], disabled["eventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));

        var enabled = await ManageAsync(HttpMethod.Patch, $"/api/v1/webhooks/{id}", new { enabled = true });
        Assert.True(enabled["enabled"]!.GetValue<bool>());
        Assert.Null(enabled["disabledReason"]);
    }

    [Fact]
    public async Task Delete_WhenTheSubscriptionExists_ShouldRemoveItAndThen404()
    {
        var (id, _) = await SubscribeAsync("https://crm.link-j.example/hooks");

        await ManageAsync(HttpMethod.Delete, $"/api/v1/webhooks/{id}", expected: HttpStatusCode.NoContent);

        using var response = await Client.SendAsync(Request(HttpMethod.Get, $"/api/v1/webhooks/{id}", await ManageKeyAsync()));
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "webhook.not-found");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PATCH", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/ping")]
    [InlineData("POST", "/rotate-secret")]
    [InlineData("GET", "/deliveries")]
    public async Task Webhook_WhenTheIdIsUnknown_ShouldReturn404(string method, string suffix)
    {
        using var response = await Client.SendAsync(Request(new HttpMethod(method), $"/api/v1/webhooks/{Guid.NewGuid()}{suffix}", await ManageKeyAsync(),
            method == "PATCH" ? new { enabled = false } : null));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "webhook.not-found");
    }

    [Fact]
    public async Task Ping_WhenAsked_ShouldQueueAPingInTheDeliveryLog()
    {
        var (id, _) = await SubscribeAsync("https://crm.link-j.example/hooks");

        var ping = await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{id}/ping", expected: HttpStatusCode.Accepted);

        Assert.Equal("webhook.ping", ping["eventType"]!.GetValue<string>());
        Assert.StartsWith("msg_", ping["messageId"]!.GetValue<string>(), StringComparison.Ordinal);
        var log = await DeliveriesAsync(id);
        Assert.Equal(ping["id"]!.GetValue<string>(), Assert.Single(log)!["id"]!.GetValue<string>());
        Assert.Equal("pending", log[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deliveries_WhenTheCursorIsNotANumber_ShouldReturn400()
    {
        var (id, _) = await SubscribeAsync("https://crm.link-j.example/hooks");

        using var response = await Client.SendAsync(Request(HttpMethod.Get, $"/api/v1/webhooks/{id}/deliveries?before=abc", await ManageKeyAsync()));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "webhook.cursor-invalid");
    }

    [Theory]
    [InlineData("limit=0", "webhook.limit-invalid", "limit", "limit is 1 to 200.")]
    [InlineData("limit=201", "webhook.limit-invalid", "limit", "limit is 1 to 200.")]
    [InlineData("limit=0&before=abc", "webhook.limit-invalid", "limit", "limit is 1 to 200.")]
    [InlineData("before=-1", "webhook.cursor-invalid", "before", "before must be a page's next value.")]
    [InlineData("before=abc", "webhook.cursor-invalid", "before", "before must be a page's next value.")]
    public async Task Deliveries_WhenThePageIsBad_ShouldReturn400NamingTheField(string query, string code, string field, string message)
    {
        var (id, _) = await SubscribeAsync("https://crm.link-j.example/hooks");

        using var response = await Client.SendAsync(Request(HttpMethod.Get, $"/api/v1/webhooks/{id}/deliveries?{query}", await ManageKeyAsync()));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(message, problem["detail"]!.GetValue<string>());
        Assert.Equal([message], problem["errors"]![field]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    /// <summary>The page is parsed at the edge (ADR 0054), before the subscription is looked up: a bad one is a 400 whoever's log it asks for, as on the lists.</summary>
    [Fact]
    public async Task Deliveries_WhenThePageIsBadAndTheIdUnknown_ShouldReturn400()
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Get, $"/api/v1/webhooks/{Guid.NewGuid()}/deliveries?before=abc", await ManageKeyAsync()));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "webhook.cursor-invalid");
    }

    [Fact]
    public async Task Deliveries_WhenPagedWithBefore_ShouldGiveTheOlderDeliveriesNewestFirst()
    {
        var (id, _) = await SubscribeAsync("https://crm.link-j.example/hooks");
        var pings = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            pings.Add((await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{id}/ping", expected: HttpStatusCode.Accepted))["id"]!.GetValue<string>());
        }

        var first = await ManageAsync(HttpMethod.Get, $"/api/v1/webhooks/{id}/deliveries?limit=2");
        var next = first["next"]!.GetValue<string>();
        var second = await ManageAsync(HttpMethod.Get, $"/api/v1/webhooks/{id}/deliveries?limit=2&before={next}");

        Assert.Equal([pings[2], pings[1]], first["items"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.Equal([pings[0]], second["items"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.Null(second["next"]?.GetValue<string>());
    }

    [Fact]
    public async Task Webhooks_WhenRead_ShouldNotBeCachedAcrossChanges()
    {
        var key = await ManageKeyAsync();
        var first = (await ManageAsync(HttpMethod.Get, "/api/v1/webhooks"))["items"]!.AsArray().Count;
        await SubscribeAsync("https://crm.link-j.example/hooks");

        using var response = await Client.SendAsync(Request(HttpMethod.Get, "/api/v1/webhooks", key));

        Assert.Equal(first + 1, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray().Count);
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    /// <summary>
    /// Documented, the nine operations get the allow-list of query parameters every documented operation has (ADR 0020):
    /// an unknown one is a 400 naming it, whatever the operation; so is an unknown member of a body.
    /// </summary>
    [Fact]
    public async Task EveryWebhookOperation_WhenSentAnUnknownQueryParameterOrMember_ShouldReturn400AndChangeNothing()
    {
        var (id, _) = await SubscribeAsync("https://crm.link-j.example/hooks");
        var ping = await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{id}/ping", expected: HttpStatusCode.Accepted);
        var document = await GetJsonAsync("/swagger/v1/swagger.json");
        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/v1/webhooks", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Value is JsonObject).Select(o => (Method: o.Key.ToUpperInvariant(), Path: p.Key)))
            .ToList();
        var before = await SnapshotAsync();

        foreach (var (method, path) in operations)
        {
            var url = path.Replace("{id}", id, StringComparison.Ordinal).Replace("{deliveryId}", ping["id"]!.GetValue<string>(), StringComparison.Ordinal);
            using var response = await Client.SendAsync(Request(new HttpMethod(method), url + "?utm_source=newsletter", await ManageKeyAsync()));
            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "query.unknown-parameter");
            Assert.NotNull(problem["errors"]!["utm_source"]);
        }

        foreach (var (method, url) in new[] { ("POST", "/api/v1/webhooks"), ("PATCH", $"/api/v1/webhooks/{id}") })
        {
            using var response = await Client.SendAsync(Request(new HttpMethod(method), url, await ManageKeyAsync(),
                new { url = "https://crm.link-j.example/other", eventTypes = new[] { "partner.created" }, secret = "whsec_mine" }));
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        }

        Assert.Equal(9, operations.Count);
        Assert.Equal(before, await SnapshotAsync());
    }
}
