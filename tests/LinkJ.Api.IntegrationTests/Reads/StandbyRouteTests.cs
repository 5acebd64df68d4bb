using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>
/// Every read endpoint through the read route (<c>ConnectionStrings:LinkJRead</c>) against a real streaming standby of
/// the suite's PostgreSQL (<c>pg_basebackup -R</c>, started by scripts/test.sh as <c>LINKJ_TEST_STANDBY_CONNECTION</c>):
/// each answers exactly what the primary answers, from the standby when it has replayed the latest change, and from the
/// primary when it has not (right after a write).
/// </summary>
public sealed class StandbyRouteTests(ApiFactory factory) : WriteTest(factory)
{
    [StandbyFact]
    public async Task Get_WhenEveryReadEndpointGoesThroughTheStandbyRoute_ShouldAnswerFromTheStandbyAsThePrimaryDoes()
    {
        var key = await CreateKeyAsync("admin");
        var urls = await ReadUrlsAsync();
        await WaitForReplayAsync();
        using var host = HostWithStandby();
        using var standbyClient = host.CreateClient();
        var standby = host.Services.GetRequiredService<StandbyDatabase>();

        foreach (var url in urls)
        {
            // Tests in other classes write meanwhile: when one lands between the replay wait and the read, the route
            // rightly goes to the primary. Wait and read again, a few times; a route that never uses the standby fails.
            var servedByStandby = false;
            for (var attempt = 0; attempt < 5 && !servedByStandby; attempt++)
            {
                await WaitForReplayAsync();
                var before = standby.ReadsServed;
                var (status, type, body) = await ReadAsync(standbyClient, url, key);
                var (primaryStatus, primaryType, primaryBody) = await ReadAsync(Client, url, key);

                Assert.True(status == HttpStatusCode.OK, $"GET {url} through the standby route → {(int)status}: {body}");
                Assert.Equal(primaryStatus, status);
                Assert.Equal(primaryType, type);
                Assert.True(primaryBody == body, $"GET {url}: the standby's body differs from the primary's");
                servedByStandby = standby.ReadsServed == before + 1;
            }

            Assert.True(servedByStandby, $"GET {url} did not read from the standby in 5 tries");
        }
    }

    [StandbyFact]
    public async Task Get_WhenTheStandbyHasNotReplayedAWrite_ShouldReadItFromThePrimaryUntilItHas()
    {
        var key = await CreateKeyAsync("agreements:write", "sync:read");
        await WaitForReplayAsync();
        using var host = HostWithStandby();
        using var client = host.CreateClient();
        var standby = host.Services.GetRequiredService<StandbyDatabase>();
        var readsBefore = standby.ReadsServed;

        await StandbyAsync("SELECT pg_wal_replay_pause()");
        string id;
        try
        {
            using var created = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(await PartnerIdAsync(), "スタンバイ越しの覚書")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

            // The standby stands still: every read of the new agreement, its list and the statistics comes from the primary.
            foreach (var url in new[] { $"/api/v1/agreements/{id}", "/api/v1/agreements?limit=100", "/api/v1/stats", $"/api/v1/agreements/{id}/history" })
            {
                var (status, _, body) = await ReadAsync(client, url, key);
                var (_, _, primaryBody) = await ReadAsync(Client, url, key);
                Assert.True(status == HttpStatusCode.OK, $"GET {url} → {(int)status}: {body}");
                Assert.True(primaryBody == body, $"GET {url} right after the write answered otherwise than the primary");
                if (!url.EndsWith("stats", StringComparison.Ordinal) && !url.EndsWith("history", StringComparison.Ordinal))
                {
                    Assert.Contains(id, body);
                }
            }

            Assert.Equal(readsBefore, standby.ReadsServed);
        }
        finally
        {
            await StandbyAsync("SELECT pg_wal_replay_resume()");
        }

        await WaitForReplayAsync();
        var (afterStatus, _, afterBody) = await ReadAsync(client, $"/api/v1/agreements/{id}?lang=en", key);
        Assert.Equal(HttpStatusCode.OK, afterStatus);
        Assert.Contains(id, afterBody);
        Assert.Equal(readsBefore + 1, standby.ReadsServed);
    }

    /// <summary>Each read endpoint once: lists, items, partner agreements, stats, the change feed, CSV, Atom and history.</summary>
    private async Task<string[]> ReadUrlsAsync()
    {
        var osakaAgreement = (await GetJsonAsync($"/api/v1/partners/{Seeded.Osaka}/agreements"))["items"]![0]!["id"]!.GetValue<string>();
        return
        [
            "/api/v1/agreements?limit=100",
            "/api/v1/agreements?country=JP&partnerKind=local-government&limit=2",
            $"/api/v1/agreements/{osakaAgreement}",
            $"/api/v1/agreements/{osakaAgreement}?lang=en",
            $"/api/v1/agreements/{osakaAgreement}/history",
            "/api/v1/agreements/feed.atom",
            "/api/v1/agreements/export.csv?country=JP",
            "/api/v1/partners/export.csv",
            "/api/v1/partners?limit=100",
            $"/api/v1/partners/{Seeded.Osaka}",
            $"/api/v1/partners/{Seeded.Osaka}/agreements",
            $"/api/v1/partners/{Seeded.Osaka}/history",
            "/api/v1/cooperation-scopes",
            "/api/v1/stats",
            "/api/v1/changes?limit=100",
        ];
    }

    private static async Task<(HttpStatusCode Status, string? Type, string Body)> ReadAsync(HttpClient client, string url, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (url.Contains("/history", StringComparison.Ordinal) || url.Contains("/changes", StringComparison.Ordinal))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    private WebApplicationFactory<Program> HostWithStandby() =>
        Factory.WithWebHostBuilder(builder => builder.UseSetting("ConnectionStrings:LinkJRead", StandbyConnectionString(new NpgsqlConnectionStringBuilder(Factory.ConnectionString).Database!)));

    private static string StandbyConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(StandbyFactAttribute.ServerConnectionString) { Database = database }.ConnectionString;

    private static async Task StandbyAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(StandbyFactAttribute.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits (30 s at most) until the standby has replayed everything the primary has written so far.</summary>
    /// <remarks>The insert position, not the write position: the suite's PostgreSQL commits asynchronously, so a commit
    /// that has answered may still sit in the WAL buffers, past <c>pg_current_wal_lsn()</c>.</remarks>
    private async Task WaitForReplayAsync()
    {
        var target = await Factory.ScalarAsync<string>("SELECT pg_current_wal_insert_lsn()::text");
        await using var connection = new NpgsqlConnection(StandbyFactAttribute.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @target::pg_lsn", connection);
        command.Parameters.AddWithValue("target", target!);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the standby did not replay {target} within 30 s");
    }
}

/// <summary>
/// A test that needs the suite's streaming standby (<c>LINKJ_TEST_STANDBY_CONNECTION</c>, set by scripts/test.sh). Without
/// one it is skipped on a developer's machine, and fails in CI (<c>CI=true</c>), where a skip would hide the route.
/// </summary>
public sealed class StandbyFactAttribute : FactAttribute
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("LINKJ_TEST_STANDBY_CONNECTION") is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException(
                "No streaming standby for the read-route tests: run them with scripts/test.sh, or set LINKJ_TEST_STANDBY_CONNECTION.");

    public StandbyFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LINKJ_TEST_STANDBY_CONNECTION") is not { Length: > 0 }
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "No streaming standby (LINKJ_TEST_STANDBY_CONNECTION): scripts/test.sh starts one.";
        }
    }
}
