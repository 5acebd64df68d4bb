using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinkJ.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>Helpers for write tests: API keys made through the real key service, request builders, and a snapshot of the database.</summary>
public abstract class WriteTest(ApiFactory factory) : ApiTest(factory)
{
    protected const string OsakaPartnerSlug = "osaka-prefecture";

    protected async Task<string> CreateKeyAsync(params string[] scopes)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("test-" + string.Join("-", scopes).Replace(':', '-'), scopes, CancellationToken.None);
        return created.Key;
    }

    protected async Task RevokeAsync(string key)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(key.Split('_')[1], CancellationToken.None);
    }

    protected async Task<string> PartnerIdAsync(string slug = OsakaPartnerSlug) =>
        (await GetJsonAsync($"/api/v1/partners/{slug}"))["id"]!.GetValue<string>();

    protected static object NewAgreement(string partnerId, string titleJa = "大阪府との覚書（第二期）", string signedOn = "2025-09-07", string[]? scopes = null) => new
    {
        partnerId,
        type = "mou",
        title = new { ja = titleJa, en = "Second MOU with Osaka Prefecture" },
        signedOn,
        cooperation = new { scopes = scopes ?? ["event-cooperation", "mutual-visits"], isOpenEnded = true },
    };

    protected static HttpRequestMessage Request(HttpMethod method, string url, string? key, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return request;
    }

    /// <summary>Creates an agreement with Osaka Prefecture and returns its id and ETag.</summary>
    protected async Task<(string Id, string ETag)> CreateAgreementAsync(string key, string titleJa = "大阪府との覚書（第二期）")
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(await PartnerIdAsync(), titleJa)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return (JsonNode.Parse(body)!["id"]!.GetValue<string>(), response.Headers.ETag!.Tag);
    }

    /// <summary>
    /// Makes requests truly race, and asserts that they did: <paramref name="holdSql"/> takes a lock in a transaction of
    /// the test's own (a table or row lock their writes need), the requests start, and only when all
    /// <paramref name="waiters"/> of them wait on a lock in this database (the barrier: every one is in flight past its
    /// reads) is the lock released, so that the database decides who wins. A request that ends before the barrier, or a
    /// barrier never reached, fails the test: a race test whose requests ran one after the other proves nothing.
    /// </summary>
    protected async Task<T[]> RaceAsync<T>(string holdSql, int waiters, IReadOnlyList<Func<Task<T>>> requests, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(holdSql, connection, transaction))
        {
            foreach (var (name, value) in parameters)
            {
                hold.Parameters.AddWithValue(name, value);
            }

            await hold.ExecuteNonQueryAsync();
        }

        var running = requests.Select(request => Task.Run(request)).ToArray();
        long waiting = 0;
        await using (var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", connection, transaction))
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection, transaction))
        {
            for (var poll = 0; poll < 3000 && !running.Any(r => r.IsCompleted); poll++)
            {
                // The statistics views keep one snapshot per transaction: clear it, or every poll sees the first one.
                await clear.ExecuteNonQueryAsync();
                waiting = (long)(await count.ExecuteScalarAsync())!;
                if (waiting >= waiters)
                {
                    break;
                }

                await Task.Delay(10);
            }
        }

        var endedEarly = running.Count(r => r.IsCompleted);
        await transaction.RollbackAsync();
        var results = await Task.WhenAll(running);
        Assert.True(waiting >= waiters && endedEarly == 0,
            $"The race did not happen: {waiting} of {waiters} requests reached the barrier (waited on the lock), {endedEarly} ended before it.");
        return results;
    }

    /// <summary>Every table of the service, each as its row count and an md5 of its rows (<see cref="DatabaseSnapshot"/>):
    /// equal snapshots mean a request changed nothing.</summary>
    protected Task<string> SnapshotAsync() => DatabaseSnapshot.TakeAsync(Factory.ConnectionString);
}
