using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>
/// The fault tests start PostgreSQL clusters and API processes of their own: one at a time, so that they do not load
/// the machine together (they still run beside the API collection).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection
{
    public const string Name = "Faults";
}

/// <summary>
/// One durable cluster (fsync on, synchronous commit, as deployed) with a database <c>linkj</c>, started on first use,
/// and a running API on it that tests take in turn: each may crash and restart either, none needs the database empty.
/// </summary>
public sealed class DurablePostgres : IAsyncLifetime
{
    private readonly Lazy<Task<(PrivatePostgres Server, string ConnectionString)>> _cluster = new(async () =>
    {
        var server = await PrivatePostgres.StartNewAsync(durable: true);
        var connectionString = await server.CreateDatabaseAsync("linkj");
        await ChildProcessTest.MigrateAndSeedAsync(connectionString);
        return (server, connectionString);
    });

    private ApiProcess? _running;

    public Task<(PrivatePostgres Server, string ConnectionString)> GetAsync() => _cluster.Value;

    /// <summary>The API a previous test left running, or a new one: the caller owns it now.</summary>
    public async Task<ApiProcess> TakeRunningApiAsync()
    {
        var (_, connectionString) = await GetAsync();
        var running = Interlocked.Exchange(ref _running, null);
        if (running is { HasExited: false })
        {
            return running;
        }

        if (running is not null)
        {
            await running.DisposeAsync();
        }

        return await ApiProcess.StartAsync(connectionString);
    }

    /// <summary>Leaves <paramref name="api"/> running for the next test (or for disposal with the fixture).</summary>
    public void KeepRunning(ApiProcess api) => _running = api;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _running, null) is { } running)
        {
            await running.DisposeAsync();
        }

        if (_cluster.IsValueCreated)
        {
            await (await _cluster.Value).Server.DisposeAsync();
        }
    }
}
