using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>
/// Which real failures open the circuit (issue 15, item 14): a database that cannot be reached does; one that is reachable
/// but slow (pool wait, command timeout) answers 503 to the request that met it and opens nothing. And /health/ready
/// does not ask the database on every probe.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DatabaseFailureKindsTests(ApiFactory factory)
{
    private static async Task<Exception> FailureOfAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception exception)
        {
            return exception;
        }

        throw new InvalidOperationException("expected a failure");
    }

    private string With(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = new NpgsqlConnectionStringBuilder(factory.ConnectionString);
        change(builder);
        return builder.ConnectionString;
    }

    [Fact]
    public async Task IsConnectionFailure_WhenTheDatabaseIsUnreachableOrOnlySlow_ShouldBeTrueOnlyWhenUnreachable()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var refused = await FailureOfAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(With(b => (b.Port, b.Timeout) = (closedPort, 2)));
            await connection.OpenAsync();
        });

        // A server that accepts and never answers: the connect times out.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var connectTimeout = await FailureOfAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(With(b => (b.Port, b.Timeout, b.SslMode) = (((IPEndPoint)silent.LocalEndpoint).Port, 1, SslMode.Disable)));
            await connection.OpenAsync();
        });
        silent.Stop();

        var pooled = With(b => (b.MaxPoolSize, b.Timeout, b.ApplicationName) = (1, 1, "linkj-pool-wait-test"));
        Exception poolWait;
        await using (var held = new NpgsqlConnection(pooled))
        {
            await held.OpenAsync();
            poolWait = await FailureOfAsync(async () =>
            {
                await using var connection = new NpgsqlConnection(pooled);
                await connection.OpenAsync();
            });
        }

        var commandTimeout = await FailureOfAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(With(b => b.CommandTimeout = 1));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_sleep(10)", connection);
            await command.ExecuteNonQueryAsync();
        });

        var terminated = await FailureOfAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(With(b => b.ApplicationName = "linkj-terminated-test"));
            await connection.OpenAsync();
            await factory.ScalarAsync<object>("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'linkj-terminated-test'");
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteNonQueryAsync();
        });

        var tooMany = new PostgresException("sorry, too many clients already", "FATAL", "FATAL", PostgresErrorCodes.TooManyConnections);

        foreach (var (name, failure, opens) in new[]
        {
            ("connection refused", refused, true),
            ("connect timeout", connectTimeout, true),
            ("terminated by the server", terminated, true),
            ("pool wait timeout", poolWait, false),
            ("command timeout", commandTimeout, false),
            ("too many clients", (Exception)tooMany, false),
        })
        {
            Assert.True(DatabaseFailures.IsUnavailable(failure), $"{name} must be answered 503: {failure}");
            Assert.True(DatabaseFailures.IsConnectionFailure(failure) == opens, $"{name}: opens the circuit should be {opens}: {failure}");
        }
    }

    [Fact]
    public async Task Get_WhenACommandTimesOut_ShouldAnswer503WithoutOpeningTheCircuit()
    {
        await factory.ResetDatabaseIfChangedAsync();
        await using var host = factory.WithWebHostBuilder(builder => builder
            .UseSetting("Database:FailuresBeforeFailFast", "1")
            .UseSetting("Database:FailFastSeconds", "60")
            .UseSetting("Database:CommandTimeoutSeconds", "1"));
        using var client = host.CreateClient();
        using (var warm = await client.GetAsync("/api/v1/cooperation-scopes"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        // The data version every read asks for waits on a lock until its command times out: a slow database, not a lost one.
        await using (var locker = new NpgsqlConnection(factory.ConnectionString))
        {
            await locker.OpenAsync();
            await using var transaction = await locker.BeginTransactionAsync();
            await using (var lockChanges = new NpgsqlCommand("LOCK TABLE changes IN ACCESS EXCLUSIVE MODE", locker, transaction))
            {
                await lockChanges.ExecuteNonQueryAsync();
            }

            using var slow = await client.GetAsync("/api/v1/cooperation-scopes");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, slow.StatusCode);
            await transaction.RollbackAsync();
        }

        Assert.False(host.Services.GetRequiredService<DatabaseCircuit>().IsOpen);
        using var after = await client.GetAsync("/api/v1/cooperation-scopes");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task HealthReady_WhenProbedAgainWithinTheCachePeriod_ShouldAnswerWithoutAskingTheDatabase()
    {
        await using var host = factory.WithWebHostBuilder(builder => builder
            .UseSetting("Database:ReadinessCacheSeconds", "30")
            .UseSetting("Database:CommandTimeoutSeconds", "5"));
        using var client = host.CreateClient();
        using (var first = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Nobody can read the migrations table now: a probe that asked would wait out its command timeout and fail.
        await using var locker = new NpgsqlConnection(factory.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockMigrations = new NpgsqlCommand("LOCK TABLE __ef_migrations_history IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockMigrations.ExecuteNonQueryAsync();
        }

        var elapsed = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            using var again = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"five probes took {elapsed.Elapsed}: they asked the database");
        await transaction.RollbackAsync();
    }
}
