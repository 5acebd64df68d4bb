using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>
/// The fault tests start PostgreSQL clusters and API processes of their own: one at a time, so that they do not load
/// the machine together (they still run beside the API collection).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<DurablePostgres>
{
    public const string Name = "Faults";
}

/// <summary>
/// One durable cluster (fsync on, synchronous commit, as deployed) with a database <c>linkj</c>, started on first use
/// and shared by the tests that run the service as a process: each may crash and restart it, none needs it empty.
/// </summary>
public sealed class DurablePostgres : IAsyncLifetime
{
    private readonly Lazy<Task<(PrivatePostgres Server, string ConnectionString)>> _cluster = new(async () =>
    {
        var server = await PrivatePostgres.StartNewAsync(durable: true);
        return (server, await server.CreateDatabaseAsync("linkj"));
    });

    public Task<(PrivatePostgres Server, string ConnectionString)> GetAsync() => _cluster.Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster.IsValueCreated)
        {
            await (await _cluster.Value).Server.DisposeAsync();
        }
    }
}
