using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>POST with Idempotency-Key: a retry, however concurrent, creates one resource and gets the first response.</summary>
public sealed class IdempotencyTests(ApiFactory factory) : WriteTest(factory)
{
    private const string CountByTitle = "SELECT count(*) FROM agreements WHERE title_ja = '冪等の覚書'";

    [Fact]
    public async Task Create_WhenRetriedWithTheSameKeyAndBody_ShouldReplayTheFirstResponseAndCreateOnce()
    {
        var key = await CreateKeyAsync("agreements:write");
        var body = NewAgreement(await PartnerIdAsync(), "冪等の覚書");

        using var first = await SendAsync(key, "retry-1", body);
        using var retry = await SendAsync(key, "retry-1", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(
            JsonNode.Parse(await first.Content.ReadAsStringAsync())!["id"]!.GetValue<string>(),
            JsonNode.Parse(await retry.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.Equal(1, await Factory.ScalarAsync<long>(CountByTitle));
    }

    [Fact]
    public async Task Create_WhenTheSameKeyIsSentConcurrently_ShouldCreateExactlyOneAgreement()
    {
        var key = await CreateKeyAsync("agreements:write");
        var body = NewAgreement(await PartnerIdAsync(), "冪等の覚書");

        // The key table locked against writes: the first claim of the key takes it and waits there, holding it; the nine
        // others, sent while it waits, must each be told at once that it is still running (409), not queue behind it.
        await using var blocker = new Npgsql.NpgsqlConnection(Factory.ConnectionString);
        await blocker.OpenAsync();
        var blocking = await blocker.BeginTransactionAsync();
        await using (var lockKeys = new Npgsql.NpgsqlCommand("LOCK TABLE idempotency_keys IN SHARE MODE", blocker, blocking))
        {
            await lockKeys.ExecuteNonQueryAsync();
        }

        var running = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            using var response = await SendAsync(key, "concurrent-1", body);
            return (response.StatusCode, response.Headers.Location);
        })).ToArray();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((running.Count(r => r.IsCompleted) < 9 || await WaitingOnLocksAsync() < 1) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        var answeredWhileHeld = running.Where(r => r.IsCompleted).Select(r => r.Result).ToList();
        var heldWaiting = await WaitingOnLocksAsync();
        await blocking.RollbackAsync();
        var responses = await Task.WhenAll(running);

        // The race happened: one request held the key inside its transaction while the nine others came and went.
        Assert.True(answeredWhileHeld.Count == 9 && heldWaiting == 1,
            $"The race did not happen: {answeredWhileHeld.Count} of 9 answered while the first held the key, {heldWaiting} waiting on the lock.");
        Assert.All(answeredWhileHeld, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, await Factory.ScalarAsync<long>(CountByTitle));
        Assert.Equal(1, await Factory.ScalarAsync<long>("SELECT count(*) FROM changes WHERE operation = 'created' AND resource_type = 'agreement' AND resource_id NOT IN (SELECT id FROM agreements WHERE title_ja <> '冪等の覚書')"));
    }

    /// <summary>
    /// The race made certain: the first request is held inside its transaction (its agreement insert waits on a lock the
    /// test holds) while the retry comes. The retry must not wait on the key's row with a pooled connection until the
    /// first ends: 409 problem at once, with Retry-After; the first then completes, and a later retry replays it.
    /// </summary>
    [Fact]
    public async Task Create_WhenARetryComesWhileTheFirstIsStillRunning_ShouldAnswer409AtOnceWithoutWaiting()
    {
        var key = await CreateKeyAsync("agreements:write");
        var body = NewAgreement(await PartnerIdAsync(), "冪等の覚書");
        await using var blocker = new Npgsql.NpgsqlConnection(Factory.ConnectionString);
        await blocker.OpenAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await using (var lockAgreements = new Npgsql.NpgsqlCommand("LOCK TABLE agreements IN SHARE ROW EXCLUSIVE MODE", blocker, blocking))
        {
            await lockAgreements.ExecuteNonQueryAsync();
        }

        var first = SendAsync(key, "in-flight-1", body);
        // Barrier: the first request holds the key (its row is inserted, uncommitted) and waits on the test's lock.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await WaitingOnLocksAsync() == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the first request never reached its insert");
            Assert.False(first.IsCompleted, "the first request ended before the race could happen");
            await Task.Delay(20);
        }

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        using (var retry = await SendAsync(key, "in-flight-1", body))
        {
            elapsed.Stop();
            await AssertProblemAsync(retry, HttpStatusCode.Conflict, "idempotency.in-progress");
            Assert.Equal("1", retry.Headers.GetValues("Retry-After").Single());
        }

        // The race happened: the first was still running when the retry was answered, and no backend waits on the key.
        Assert.False(first.IsCompleted);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"the retry took {elapsed.Elapsed}: it waited for the first");
        Assert.Equal(1, await WaitingOnLocksAsync());

        await blocking.RollbackAsync();
        using var created = await first;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var replayed = await SendAsync(key, "in-flight-1", body);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(created.Headers.Location, replayed.Headers.Location);
        Assert.Equal(1, await Factory.ScalarAsync<long>(CountByTitle));
    }

    [Fact]
    public async Task Create_WhenTheSameKeyComesWithAnotherBody_ShouldReturn422AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var partnerId = await PartnerIdAsync();
        using (await SendAsync(key, "reused", NewAgreement(partnerId, "冪等の覚書")))
        {
        }

        var before = await SnapshotAsync();
        using var other = await SendAsync(key, "reused", NewAgreement(partnerId, "別の覚書"));

        await AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity, "idempotency.key-reused");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Create_WhenTheFirstAttemptFailed_ShouldLetTheRetryRunWithTheSameKey()
    {
        var key = await CreateKeyAsync("agreements:write");
        using var failed = await SendAsync(key, "after-failure", NewAgreement(await PartnerIdAsync(), "冪等の覚書", scopes: ["space-travel"]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);

        using var retry = await SendAsync(key, "after-failure", NewAgreement(await PartnerIdAsync(), "冪等の覚書"));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Create_WhenTwoClientsUseTheSameKey_ShouldKeepTheirKeysApart()
    {
        var crm = await CreateKeyAsync("agreements:write");
        var events = await CreateKeyAsync("admin");
        var body = NewAgreement(await PartnerIdAsync(), "冪等の覚書");

        using var first = await SendAsync(crm, "shared-key", body);
        using var second = await SendAsync(events, "shared-key", body);

        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
        Assert.Equal(2, await Factory.ScalarAsync<long>(CountByTitle));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("日本語")]
    public async Task Create_WhenKeyMalformed_ShouldReturn400AndChangeNothing(string idempotencyKey)
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();
        using var request = Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(await PartnerIdAsync()));
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);

        using var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "idempotency.invalid-key");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task CreatePartner_WhenRetriedWithTheSameKey_ShouldCreateOnce()
    {
        var key = await CreateKeyAsync("partners:write");
        var body = new { slug = "kanagawa-prefecture", name = new { ja = "神奈川県", en = "Kanagawa Prefecture" }, kind = "local-government", country = "JP" };

        using var first = await Client.SendAsync(WithKey(Request(HttpMethod.Post, "/api/v1/partners", key, body), "kanagawa"));
        using var retry = await Client.SendAsync(WithKey(Request(HttpMethod.Post, "/api/v1/partners", key, body), "kanagawa"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, await Factory.ScalarAsync<long>("SELECT count(*) FROM partners WHERE slug = 'kanagawa-prefecture'"));
    }

    [Fact]
    public async Task Create_WhenTheRetryLandsOnAnotherReplica_ShouldReplayTheFirstResponseAndCreateOnce()
    {
        var key = await CreateKeyAsync("agreements:write");
        var body = NewAgreement(await PartnerIdAsync(), "冪等の覚書");
        using var otherReplica = Factory.WithWebHostBuilder(_ => { });
        using var otherClient = otherReplica.CreateClient();

        using var first = await SendAsync(key, "replica-1", body);
        using var retry = await otherClient.SendAsync(WithKey(Request(HttpMethod.Post, "/api/v1/agreements", key, body), "replica-1"));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, await Factory.ScalarAsync<long>(CountByTitle));
    }

    /// <summary>How many sessions of the test database wait on a lock right now.</summary>
    private Task<long> WaitingOnLocksAsync() => Factory.ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");

    private Task<HttpResponseMessage> SendAsync(string apiKey, string idempotencyKey, object body) =>
        Client.SendAsync(WithKey(Request(HttpMethod.Post, "/api/v1/agreements", apiKey, body), idempotencyKey));

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string idempotencyKey)
    {
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }
}
