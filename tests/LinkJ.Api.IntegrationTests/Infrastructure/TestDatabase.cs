using Npgsql;
using Testcontainers.PostgreSql;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the tests: the server named by <c>LINKJ_TEST_CONNECTION</c> (scripts/test.sh starts a
/// throwaway one), or else a Testcontainers container where a Docker engine runs. Each test run gets a database of
/// its own, dropped at the end.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgreSqlContainer? _container;
    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, PostgreSqlContainer? container)
    {
        _serverConnectionString = serverConnectionString;
        _container = container;
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString)
        {
            Database = "linkj_test_" + Guid.NewGuid().ToString("N")[..12],
            IncludeErrorDetail = true,
        };
        ConnectionString = builder.ConnectionString;
        DatabaseName = builder.Database!;
    }

    public string ConnectionString { get; }

    public string DatabaseName { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var configured = Environment.GetEnvironmentVariable("LINKJ_TEST_CONNECTION");
        TestDatabase database;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            database = new TestDatabase(configured, container: null);
        }
        else
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            try
            {
                await container.StartAsync();
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException(
                    "No PostgreSQL for the integration tests: set LINKJ_TEST_CONNECTION, or run them with scripts/test.sh, " +
                    "which starts a throwaway PostgreSQL when no Docker engine is available.", exception);
            }

            database = new TestDatabase(container.GetConnectionString(), container);
        }

        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.DatabaseName}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
