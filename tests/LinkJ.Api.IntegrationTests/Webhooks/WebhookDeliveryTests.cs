using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>
/// Issue 18, items 2–4 and 6: events from the change feed reach a real receiver (Kestrel on 127.0.0.1), signed, in
/// order, retried, redelivered; two replicas never send one attempt at once; a killed sender loses nothing.
/// </summary>
public sealed class WebhookDeliveryTests(ApiFactory factory) : WebhookTest(factory)
{
    [Fact]
    public async Task Deliver_WhenAnAgreementIsCreated_ShouldPostAPayloadTheStandardWebhooksLibraryVerifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhookId, secret) = await SubscribeAsync(receiver.UrlFor());
        var (agreementId, _) = await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));
        using var host = new WebhookHost(Factory).Start();

        await receiver.WaitForAsync(r => r.Count >= 1, "the created event");

        var received = Assert.Single(receiver.Received);
        // As a receiver would: the library checks the id, the timestamp's freshness and the signature.
        new StandardWebhook(secret).Verify(received.Body, received.Headers);
        Assert.StartsWith("msg_", received.MessageId, StringComparison.Ordinal);
        Assert.StartsWith("v1,", received.Signature, StringComparison.Ordinal);
        var payload = Payload(received);
        Assert.Equal("agreement.created", payload["type"]!.GetValue<string>());
        Assert.Equal(agreementId, payload["data"]!["id"]!.GetValue<string>());
        Assert.Equal(agreementId, payload["data"]!["resource"]!["id"]!.GetValue<string>());
        Assert.True(payload["data"]!["position"]!.GetValue<long>() > 0);
        // The same body signed with another secret does not verify.
        Assert.ThrowsAny<Exception>(() => new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Verify(received.Body, received.Headers));
        var log = await WaitForDeliveriesAsync(webhookId, d => d.Count == 1 && d[0]!["status"]!.GetValue<string>() == "succeeded", "the delivery logged");
        Assert.Equal(200, log[0]!["responseStatus"]!.GetValue<int>());
        Assert.Equal("ok", log[0]!["responseBody"]!.GetValue<string>());
        Assert.Equal(received.MessageId, log[0]!["messageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deliver_WhenTheReceiverIsDownForAWhile_ShouldGetEveryEventAfterItRecoversInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var down = true;
        receiver.Answer = _ => Volatile.Read(ref down) ? new(503) : new(200);
        var (webhookId, _) = await SubscribeAsync(receiver.UrlFor());
        var key = await CreateKeyAsync("agreements:write");
        using var host = new WebhookHost(Factory).Start();
        var (id, etag) = await CreateAgreementAsync(key);
        for (var i = 1; i <= 4; i++)
        {
            etag = await RetitleAsync(key, id, etag, $"Revision {i}");
        }

        await receiver.WaitForAsync(r => r.Count >= 3, "attempts while down");
        Volatile.Write(ref down, false);
        await WaitForDeliveriesAsync(webhookId, d => d.Count == 5 && d.All(x => x!["status"]!.GetValue<string>() == "succeeded"), "all five delivered");

        var succeeded = receiver.Received.GroupBy(r => r.MessageId).Select(g => g.Last()).ToList();
        Assert.Equal(5, succeeded.Count);
        var positions = succeeded.Select(r => Payload(r)["data"]!["position"]!.GetValue<long>()).ToList();
        Assert.Equal(positions.Order(), positions); // in feed order
        var versions = succeeded.Select(r => Payload(r)["data"]!["version"]!.GetValue<int>()).ToList();
        Assert.Equal([1, 2, 3, 4, 5], versions);
        var first = (await DeliveriesAsync(webhookId)).Single(d => d!["eventType"]!.GetValue<string>() == "agreement.created")!;
        Assert.True(first["attempts"]!.GetValue<int>() >= 3);
    }

    [Theory]
    [InlineData(410)]
    [InlineData(400)]
    public async Task Deliver_WhenTheReceiverAnswersA4xx_ShouldNotRetryAndGoOn(int status)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = r => Payload(r)["type"]!.GetValue<string>() == "agreement.created" ? new(status, Body: "gone") : new(200);
        var (webhookId, _) = await SubscribeAsync(receiver.UrlFor());
        var key = await CreateKeyAsync("agreements:write");
        var (id, etag) = await CreateAgreementAsync(key);
        await RetitleAsync(key, id, etag, "After the refusal");
        using var host = new WebhookHost(Factory).Start();

        var log = await WaitForDeliveriesAsync(webhookId, d => d.Count == 2 && d.All(x => x!["status"]!.GetValue<string>() != "pending"), "both settled");
        await Task.Delay(1000); // longer than the test schedule's retries

        var created = log.Single(d => d!["eventType"]!.GetValue<string>() == "agreement.created")!;
        Assert.Equal("failed", created["status"]!.GetValue<string>());
        Assert.Equal(1, created["attempts"]!.GetValue<int>());
        Assert.Equal(status, created["responseStatus"]!.GetValue<int>());
        Assert.Equal("succeeded", log.Single(d => d!["eventType"]!.GetValue<string>() == "agreement.updated")!["status"]!.GetValue<string>());
        Assert.Single(receiver.Received, r => Payload(r)["type"]!.GetValue<string>() == "agreement.created");
        Assert.True((await ManageAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhookId}"))["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Deliver_WhenTheReceiverAnswers429WithRetryAfter_ShouldWaitThatLong()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var calls = 0;
        receiver.Answer = _ => Interlocked.Increment(ref calls) == 1 ? new(429, RetryAfter: "2") : new(200);
        var (webhookId, _) = await SubscribeAsync(receiver.UrlFor());
        await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));
        using var host = new WebhookHost(Factory).Start();

        await receiver.WaitForAsync(r => r.Count >= 2, "the retry", seconds: 20);

        var attempts = receiver.Received.ToList();
        Assert.Equal(attempts[0].MessageId, attempts[1].MessageId);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {(attempts[1].At - attempts[0].At).TotalSeconds} s, not the 2 s asked");
        await WaitForDeliveriesAsync(webhookId, d => d.Count == 1 && d[0]!["status"]!.GetValue<string>() == "succeeded", "delivered");
    }

    [Fact]
    public async Task Deliver_WhenFailingPastTheRetryWindow_ShouldDisableTheSubscriptionAndSayWhy()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new(500);
        var (webhookId, _) = await SubscribeAsync(receiver.UrlFor());
        await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));
        using var host = new WebhookHost(Factory, new Dictionary<string, string> { ["Webhooks:RetryWindow"] = "00:00:01.500" }).Start();

        var webhook = await WaitForAsync(async () => await ManageAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhookId}"),
            w => !w["enabled"]!.GetValue<bool>(), "disabled");

        Assert.Contains("HTTP 500", webhook["disabledReason"]!.GetValue<string>(), StringComparison.Ordinal);
        var log = await DeliveriesAsync(webhookId);
        Assert.Equal("failed", log[0]!["status"]!.GetValue<string>());
        Assert.True(log[0]!["attempts"]!.GetValue<int>() >= 2);
    }

    [Fact]
    public async Task Redeliver_WhenAsked_ShouldSendTheSameEventWithTheSameWebhookIdAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhookId, secret) = await SubscribeAsync(receiver.UrlFor());
        await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));
        using var host = new WebhookHost(Factory).Start();
        var log = await WaitForDeliveriesAsync(webhookId, d => d.Count == 1 && d[0]!["status"]!.GetValue<string>() == "succeeded", "first delivery");

        var again = await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhookId}/deliveries/{log[0]!["id"]}/redeliver", expected: HttpStatusCode.Accepted);

        await receiver.WaitForAsync(r => r.Count == 2, "the redelivery");
        var (first, second) = (receiver.Received.First(), receiver.Received.Last());
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(first.Body, second.Body);
        new StandardWebhook(secret).Verify(second.Body, second.Headers);
        Assert.Equal(log[0]!["messageId"]!.GetValue<string>(), again["messageId"]!.GetValue<string>());
        using var unknown = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/webhooks/{webhookId}/deliveries/{Guid.NewGuid()}/redeliver", await ManageKeyAsync()));
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "webhook.delivery-not-found");
    }

    [Fact]
    public async Task Ping_WhenAsked_ShouldReachTheReceiverSigned()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhookId, secret) = await SubscribeAsync(receiver.UrlFor());
        using var host = new WebhookHost(Factory).Start();

        await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhookId}/ping", expected: HttpStatusCode.Accepted);

        await receiver.WaitForAsync(r => r.Count == 1, "the ping");
        var ping = receiver.Received.Single();
        new StandardWebhook(secret).Verify(ping.Body, ping.Headers);
        Assert.Equal("webhook.ping", Payload(ping)["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RotateSecret_WhenDone_ShouldSignWithBothSecretsDuringTheOverlapAndOnlyTheNewAfterIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (webhookId, oldSecret) = await SubscribeAsync(receiver.UrlFor());
        using var host = new WebhookHost(Factory).Start();

        var rotated = await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhookId}/rotate-secret");
        var newSecret = rotated["secret"]!.GetValue<string>();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.NotNull(rotated["webhook"]!["previousSecretExpiresAt"]);
        await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhookId}/ping", expected: HttpStatusCode.Accepted);
        await receiver.WaitForAsync(r => r.Count == 1, "the ping in the overlap");

        var during = receiver.Received.Single();
        Assert.Equal(2, during.Signature.Split(' ').Length);
        // The receiver still on the old secret verifies with the library (it checks the header's first signature only);
        // the new secret's signature is the other one in the header.
        new StandardWebhook(oldSecret).Verify(during.Body, during.Headers);
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(during.Timestamp, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new StandardWebhook(newSecret).Sign(during.MessageId, sentAt, during.Body), during.Signature.Split(' ')[1]);

        await Factory.ScalarAsync<object>($"UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = '{webhookId}'");
        await ManageAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhookId}/ping", expected: HttpStatusCode.Accepted);
        await receiver.WaitForAsync(r => r.Count == 2, "the ping after the overlap");
        var after = receiver.Received.Last();
        Assert.Single(after.Signature.Split(' '));
        new StandardWebhook(newSecret).Verify(after.Body, after.Headers);
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(oldSecret).Verify(after.Body, after.Headers));
    }

    [Fact]
    public async Task Deliver_WhenTwoDispatchersRun_ShouldNeverSendOneAttemptTwiceNorTwoOfASubscriptionAtOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => new(200, Delay: TimeSpan.FromMilliseconds(20));
        var hooks = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            hooks.Add((await SubscribeAsync(receiver.UrlFor($"r{i}"))).Id);
        }

        var key = await CreateKeyAsync("agreements:write");
        using var first = new WebhookHost(Factory).Start();
        using var second = new WebhookHost(Factory).Start();
        for (var i = 0; i < 4; i++)
        {
            var (id, etag) = await CreateAgreementAsync(key, $"競合の覚書 {i}");
            await RetitleAsync(key, id, etag, $"Race {i}");
        }

        await receiver.WaitForAsync(r => r.Count >= 24, "8 events to each of 3 receivers", seconds: 30);
        await Task.Delay(500);

        var received = receiver.Received.ToList();
        Assert.Equal(24, received.Count);
        Assert.All(received.GroupBy(r => (r.Path, r.MessageId)), g => Assert.Single(g));
        Assert.All(receiver.MaxInFlightByPath.Values, max => Assert.Equal(1, max));
        foreach (var path in received.Select(r => r.Path).Distinct())
        {
            var positions = received.Where(r => r.Path == path).Select(r => Payload(r)["data"]!["position"]!.GetValue<long>()).ToList();
            Assert.Equal(positions.Order(), positions);
        }
    }

    [Fact]
    public async Task Deliver_WhenTheSenderIsKilledMidDelivery_ShouldSendItAgainOnceItsLeaseExpires()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var hang = true;
        receiver.Answer = _ => Volatile.Read(ref hang) ? new(200, Delay: TimeSpan.FromSeconds(30)) : new(200);
        var (webhookId, _) = await SubscribeAsync(receiver.UrlFor());
        await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));
        var victim = new WebhookHost(Factory, new Dictionary<string, string> { ["Webhooks:Timeout"] = "00:00:20", ["Webhooks:Lease"] = "00:00:25" }).Start();
        await receiver.WaitForAsync(r => r.Count == 1, "the attempt in flight");

        // The replica dies mid-delivery: nothing of it runs again, its claim is left in the database (here it is handed to
        // a dead owner, so that the host's own shutdown cannot release it). While the claim is live nobody sends again;
        // once it expires (set in the past below, rather than waited for, so the test does not race the clock) a survivor does.
        await Factory.ScalarAsync<object>($"UPDATE webhook_subscriptions SET lease_owner = gen_random_uuid(), lease_until = now() + interval '1 hour' WHERE id = '{webhookId}'");
        await victim.DisposeAsync();
        Volatile.Write(ref hang, false);
        using var survivor = new WebhookHost(Factory).Start();
        await Task.Delay(1000);
        Assert.Single(receiver.Received); // still claimed by the dead replica

        await Factory.ScalarAsync<object>($"UPDATE webhook_subscriptions SET lease_until = now() - interval '1 second' WHERE id = '{webhookId}'");
        await receiver.WaitForAsync(r => r.Count == 2, "the attempt sent again");
        Assert.Equal(receiver.Received.First().MessageId, receiver.Received.Last().MessageId);
        var log = await WaitForDeliveriesAsync(webhookId, d => d.Count == 1 && d[0]!["status"]!.GetValue<string>() == "succeeded", "delivered once logged");
        Assert.Equal(1, log[0]!["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deliver_WhenOneReceiverIsSlow_ShouldNotDelayAnother()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = r => r.Path == "/slow" ? new(200, Delay: TimeSpan.FromSeconds(30)) : new(200);
        await SubscribeAsync(receiver.UrlFor("slow"));
        await SubscribeAsync(receiver.UrlFor("fast"));
        var key = await CreateKeyAsync("agreements:write");
        using var host = new WebhookHost(Factory).Start();
        var (id, etag) = await CreateAgreementAsync(key);
        await RetitleAsync(key, id, etag, "Second event");

        // The slow receiver holds its first event for 30 s; the fast one gets both events meanwhile (a state, not a
        // stopwatch: the slow one has not answered yet, so the fast one was not waiting for it).
        await receiver.WaitForAsync(r => r.Count(x => x.Path == "/fast") == 2, "both events at the fast receiver", seconds: 20);

        Assert.True(receiver.Received.Count(x => x.Path == "/slow") <= 1);
    }

    private static async Task<JsonNode> WaitForAsync(Func<Task<JsonNode>> read, Func<JsonNode, bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}: {value.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}
