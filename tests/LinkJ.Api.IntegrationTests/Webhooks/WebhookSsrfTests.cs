using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>
/// Issue 18, item 5: no delivery to private, loopback or link-local addresses, checked at send time on the resolved
/// addresses. No connection to a non-loopback address is ever opened here: the resolver is a fake that answers private
/// addresses, and the connector fails the test if it is reached.
/// </summary>
public sealed class WebhookSsrfTests(ApiFactory factory) : WebhookTest(factory)
{
    private sealed class FakeResolver(IPAddress[] answer) : IWebhookDnsResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(answer);
    }

    private sealed class FailingConnector : IWebhookConnector
    {
        public int Calls;

        public ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException($"The test must not connect anywhere, but a connection to {endPoint} was attempted.");
        }
    }

    [Theory]
    [InlineData("https://hooks.partner.example/in", "10.0.0.5")]
    [InlineData("https://hooks.partner.example/in", "192.168.1.20")]
    [InlineData("https://hooks.partner.example/in", "172.20.0.1")]
    [InlineData("https://hooks.partner.example/in", "fd00::1")]
    [InlineData("https://metadata.partner.example/latest", "169.254.169.254")]
    [InlineData("https://169.254.169.254/latest/meta-data", "203.0.113.9")]
    [InlineData("https://[fe80::1]/in", "203.0.113.9")]
    public async Task Deliver_WhenTheUrlResolvesToAPrivateAddress_ShouldRefuseWithoutConnecting(string url, string resolved)
    {
        var connector = new FailingConnector();
        var (webhookId, _) = await SubscribeAsync(url);
        await CreateAgreementAsync(await CreateKeyAsync("agreements:write"));
        using var host = new WebhookHost(Factory, new Dictionary<string, string> { ["Webhooks:AllowLoopback"] = "false" }, services =>
        {
            services.RemoveAll<IWebhookDnsResolver>();
            services.AddSingleton<IWebhookDnsResolver>(new FakeResolver([IPAddress.Parse(resolved)]));
            services.RemoveAll<IWebhookConnector>();
            services.AddSingleton<IWebhookConnector>(connector);
        }).Start();

        var log = await WaitForDeliveriesAsync(webhookId, d => d.Count == 1 && d[0]!["status"]!.GetValue<string>() == "failed", "the refusal");

        Assert.Equal(0, connector.Calls);
        Assert.Contains("may not go to", log[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, log[0]!["attempts"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("10.1.2.3", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("169.254.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("fc00::5", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    public void IsPublic_WhenGivenAnAddress_ShouldTellPrivateFromPublic(string address, bool expected) =>
        Assert.Equal(expected, WebhookAddressPolicy.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void IsAllowed_WhenLoopbackIsAllowed_ShouldStillRefusePrivateAddresses()
    {
        Assert.True(WebhookAddressPolicy.IsAllowed(IPAddress.Loopback, allowLoopback: true, development: false));
        Assert.False(WebhookAddressPolicy.IsAllowed(IPAddress.Loopback, allowLoopback: false, development: false));
        Assert.False(WebhookAddressPolicy.IsAllowed(IPAddress.Parse("10.0.0.1"), allowLoopback: true, development: false));
        Assert.True(WebhookAddressPolicy.IsAllowed(IPAddress.Parse("10.0.0.1"), allowLoopback: false, development: true));
    }
}
