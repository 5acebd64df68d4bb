using System.Diagnostics;
using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>
/// Reads routed to a standby (<c>ConnectionStrings:LinkJRead</c>) only when it has replayed the primary's latest change;
/// writes always on the primary. The standby is simulated in the same database: a read-only connection whose search
/// path puts a schema of copies first, so the test decides how far the "standby" has replayed (its <c>changes</c>) and
/// can tell its answers apart (its copy of Osaka Prefecture has another English name). The real replication lag is
/// proven by <c>scripts/cluster.sh prove</c>.
/// </summary>
public sealed class ReadRoutingTests(ApiFactory factory) : WriteTest(factory)
{
    private const string StandbyName = "Osaka (standby copy)";
    private const string OsakaEn = "/api/v1/partners/osaka-prefecture?lang=en";

    [Fact]
    public async Task GetPartner_WhenTheStandbyHasReplayedTheLatestChange_ShouldReadFromTheStandby()
    {
        await CopyToStandbyAsync();
        using var host = HostWithStandby(StandbyConnectionString());
        using var client = host.CreateClient();

        var body = await client.GetStringAsync(OsakaEn);

        Assert.Contains(StandbyName, body);
    }

    [Fact]
    public async Task GetPartner_WhenTheStandbyIsBehindAWrite_ShouldReadTheWriteFromThePrimaryAndCacheNothingStale()
    {
        await CopyToStandbyAsync();
        using var host = HostWithStandby(StandbyConnectionString());
        using var client = host.CreateClient();
        var key = await CreateKeyAsync("partners:write");
        using var before = await client.GetAsync(OsakaEn);
        Assert.Contains(StandbyName, await before.Content.ReadAsStringAsync());

        // The write goes to the primary (the standby connection is read-only), and moves the data version past the
        // standby's last change: the standby is now "behind".
        using var patch = Request(HttpMethod.Patch, "/api/v1/partners/osaka-prefecture", key, ifMatch: before.Headers.ETag!.Tag);
        patch.Content = new StringContent("""{"shortName":"OSK"}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        using var patched = await client.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        for (var i = 0; i < 3; i++)
        {
            using var after = await client.GetAsync(OsakaEn);
            var body = await after.Content.ReadAsStringAsync();
            Assert.Contains("\"shortName\":\"OSK\"", body);
            Assert.DoesNotContain(StandbyName, body);
            Assert.StartsWith("\"v2.", after.Headers.ETag!.Tag);
        }
    }

    [Fact]
    public async Task Get_WhenTheStandbyIsDown_ShouldMarkItDownOnceAndReadFromThePrimaryWithoutTryingItAgain()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(Factory.ConnectionString) { Port = ClosedPort() }.ConnectionString;
        using var host = HostWithStandby(closedPort);
        using var client = host.CreateClient();
        var standby = host.Services.GetRequiredService<StandbyDatabase>();
        var markedDownBefore = StandbyMarkedDown();
        Assert.True(standby.IsAvailable);

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync($"/api/v1/agreements?limit={i + 1}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The route taken: the first read found the standby down and marked it so; the four after it went straight to the
        // primary (a second attempt would have logged a second failure). The time is printed, not asserted.
        Assert.False(standby.IsAvailable);
        Assert.Equal(1, StandbyMarkedDown() - markedDownBefore);
        Console.WriteLine($"standby down: 5 reads from the primary in {stopwatch.Elapsed.TotalMilliseconds:0} ms");
    }

    /// <summary>How many times a host of this factory has marked its standby down (its warning).</summary>
    private int StandbyMarkedDown() => Factory.Logs.Lines.Count(line => line.Contains("The read standby failed", StringComparison.Ordinal));

    [Fact]
    public async Task Get_WhenManyReadsUseTheStandby_ShouldGiveEachConnectionBack()
    {
        await CopyToStandbyAsync();
        // A pool of 3: a connection kept by a finished request would soon leave none, and reads would fall back.
        using var host = HostWithStandby(StandbyConnectionString(maxPoolSize: 3));
        using var client = host.CreateClient();

        for (var i = 0; i < 30; i++)
        {
            // 30 different reads, so that none comes from the cache (an unknown parameter such as &n=1 is refused now).
            Assert.Contains(StandbyName, await client.GetStringAsync($"/api/v1/partners?country=JP&lang=en&limit={71 + i}"));
        }
    }

    /// <summary>Makes the simulated standby a copy of the primary's partners and changes, with Osaka renamed.</summary>
    private Task CopyToStandbyAsync() => Factory.ScalarAsync<object>($"""
        DROP SCHEMA IF EXISTS standby_sim CASCADE;
        CREATE SCHEMA standby_sim;
        CREATE TABLE standby_sim.changes (LIKE public.changes INCLUDING DEFAULTS);
        INSERT INTO standby_sim.changes SELECT * FROM public.changes;
        CREATE TABLE standby_sim.partners (LIKE public.partners INCLUDING DEFAULTS);
        INSERT INTO standby_sim.partners OVERRIDING SYSTEM VALUE SELECT * FROM public.partners;
        UPDATE standby_sim.partners SET name_en = '{StandbyName}' WHERE slug = 'osaka-prefecture';
        """);

    private string StandbyConnectionString(int maxPoolSize = 100) => new NpgsqlConnectionStringBuilder(Factory.ConnectionString)
    {
        SearchPath = "standby_sim,public",
        Options = "-c default_transaction_read_only=on",
        MaxPoolSize = maxPoolSize,
    }.ConnectionString;

    private WebApplicationFactory<Program> HostWithStandby(string readConnectionString) =>
        Factory.WithWebHostBuilder(builder => builder.UseSetting("ConnectionStrings:LinkJRead", readConnectionString));

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
