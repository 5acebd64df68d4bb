using System.Net;
using LinkJ.Api.Http;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Security;
using LinkJ.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>
/// Who one client is for the rate limits (issue 15, item 12): an IPv6 client is its /64, and a network that brings many
/// clients at once is counted as one before they make the primary write a counter row each.
/// </summary>
public sealed class RateLimitPartitionTests(ApiFactory factory) : ApiTest(factory)
{
    private const string Proxy = "192.0.2.44";

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> BehindProxy(int perMinute) => Factory.WithWebHostBuilder(builder => builder
        .UseSetting("RateLimits:AnonymousPerMinute", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("ReverseProxy:ForwardedHeaders", "true")
        .UseSetting("ReverseProxy:KnownProxies:0", Proxy)
        .ComingFrom(Proxy));

    private static async Task<HttpStatusCode> GetFromAsync(HttpClient client, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cooperation-scopes");
        request.Headers.Add("X-Forwarded-For", address);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Get_WhenAnIPv6ClientRotatesAddressesWithinItsSlash64_ShouldShareOneBudget()
    {
        await Factory.ResetRateLimitsAsync();
        using var host = BehindProxy(perMinute: 3);
        using var client = host.CreateClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var address in new[] { "2001:db8:7:1::1", "2001:db8:7:1:a::2", "2001:db8:7:1:ffff:ffff:ffff:fffe", "2001:db8:7:1:1234::99" })
        {
            statuses.Add(await GetFromAsync(client, address));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, await GetFromAsync(client, "2001:db8:7:2::1")); // the next /64 is another client
        Assert.Equal(1L, await Factory.ScalarAsync<long>("SELECT count(*) FROM rate_limit_counters WHERE partition LIKE 'address:2001:db8:7:1:%'"));
    }

    [Fact]
    public async Task Get_WhenClientsRotateThroughTheSlash64sOfOneSlash48_ShouldWriteABoundedNumberOfCounterRows()
    {
        await Factory.ResetRateLimitsAsync();
        using var host = BehindProxy(perMinute: 1000);
        using var client = host.CreateClient();
        var limit = new RateLimitOptions().NewClientsPerNetworkPerMinute;

        for (var i = 0; i < limit + 40; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await GetFromAsync(client, $"2001:db8:9:{i:x}::1"));
        }

        await host.Services.GetRequiredService<RateLimitCounters>().FlushAsync(CancellationToken.None);

        // Each of the first clients of the network got a row; the rest share the network's.
        var rows = await Factory.ScalarAsync<long>("SELECT count(*) FROM rate_limit_counters WHERE partition LIKE 'address:2001:db8:9:%'");
        Assert.Equal(limit + 1, rows);
        Assert.Equal(40, await Factory.ScalarAsync<int>("SELECT count FROM rate_limit_counters WHERE partition = 'address:2001:db8:9::/48'"));
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::", "2001:db8:1:2::/64")]
    public void Of_WhenGivenAnAddress_ShouldNameItsClient(string address, string client)
    {
        Assert.Equal(client, ClientAddress.Of(IPAddress.Parse(address)));
    }
}
