using LinkJ.Api.IntegrationTests.Infrastructure.Contract;
using LinkJ.Application.Seed;
using LinkJ.Infrastructure.Persistence.Seed;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Respawn;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The whole API, hosted in memory over its real pipeline, on a real PostgreSQL database of its own that the
/// service migrates and seeds at start-up as it does in production.
/// </summary>
/// <remarks>
/// Emptying and re-seeding the database costs ~85 ms, far more than most tests, and most tests only read. So every
/// table of the service counts the statements that write to it (a statement-level trigger, in a schema of the tests'
/// own) and <see cref="ResetDatabaseIfChangedAsync"/> re-seeds only when that count moved: however a test writes
/// (HTTP, SQL, a DbContext, another host), the next test still starts from the seeded state.
/// </remarks>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private const string WriteCounter = "linkj_test.writes";

    /// <summary>
    /// Counts every statement that writes to a table of the service's schema. A sequence, not a counter row: a row
    /// would be locked by each writing transaction until it commits, serializing the concurrent writers that the
    /// concurrency and change-feed tests need. Rolled-back writes count too, which only costs an extra reset.
    /// </summary>
    private const string InstallWriteCounterSql = """
        CREATE SCHEMA linkj_test;
        CREATE SEQUENCE linkj_test.writes;
        CREATE FUNCTION linkj_test.count_write() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM nextval('linkj_test.writes'); RETURN NULL; END $$;
        DO $$
        DECLARE t record;
        BEGIN
          FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('__ef_migrations_history', 'rate_limit_counters', 'data_protection_keys') LOOP
            EXECUTE format(
              'CREATE TRIGGER linkj_test_count_writes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.%I ' ||
              'FOR EACH STATEMENT EXECUTE FUNCTION linkj_test.count_write()', t.tablename);
          END LOOP;
        END $$;
        """;

    private TestDatabase _database = null!;
    private Respawner _respawner = null!;
    private long _writesWhenSeeded;

    /// <summary>The one browser origin the test host allows to write.</summary>
    public const string TrustedOrigin = "https://crm.link-j.example";

    public string ConnectionString => _database.ConnectionString;

    private static Task<OpenApiContract>? s_contract;

    /// <summary>
    /// A client of the in-memory API, as <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> makes (redirects
    /// followed, cookies kept), whose every response is held against the served OpenAPI document
    /// (<see cref="ContractValidatingHandler"/>): a response the document does not allow fails the test that got it.
    /// </summary>
    public new HttpClient CreateClient() =>
        CreateDefaultClient(new Uri("http://localhost"), new ContractValidatingHandler(ContractAsync), new RedirectHandler(), new CookieContainerHandler());

    /// <summary>The served OpenAPI document, read once per test run.</summary>
    public Task<OpenApiContract> ContractAsync(CancellationToken cancellationToken = default) =>
        LazyInitializer.EnsureInitialized(ref s_contract, () => ContractValidatingHandler.ReadServedAsync(Server.CreateHandler(), CancellationToken.None));

    /// <summary>What the hosts of this factory (and those derived from it) log, as the service's JSON lines.</summary>
    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _ = Services; // starts the host: migrations and seeding run now

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            // The Data Protection key ring is cached by every host: emptying it under them would orphan their secrets.
            TablesToIgnore = ["__ef_migrations_history", "rate_limit_counters", "data_protection_keys"],
        });

        await using (var install = new NpgsqlCommand(InstallWriteCounterSql, connection))
        {
            await install.ExecuteNonQueryAsync();
        }

        _writesWhenSeeded = await WritesAsync(connection);
    }

    /// <summary>
    /// Brings the database back to the seeded state if anything has written to it since it was last seeded; otherwise
    /// leaves it alone. What every test runs first.
    /// </summary>
    public async Task ResetDatabaseIfChangedAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            if (await WritesAsync(connection) == _writesWhenSeeded)
            {
                return;
            }
        }

        await ResetDatabaseAsync();
    }

    /// <summary>Empties every table and seeds the source document's data again, so each test starts from the same state.</summary>
    public async Task ResetDatabaseAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await ResetRetry.OnDeadlockAsync(async () =>
            {
                await _respawner.ResetAsync(connection);
                // Respawn empties the tallies in an order of its own while the triggers count the deletes: count again.
                await using var recount = new NpgsqlCommand("SELECT recount_tallies()", connection);
                await recount.ExecuteNonQueryAsync();
            });
        }

        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseSeeder>().SeedAsync(CancellationToken.None);
        }

        await using var counter = new NpgsqlConnection(ConnectionString);
        await counter.OpenAsync();
        _writesWhenSeeded = await WritesAsync(counter);
    }

    /// <summary>How many statements have written to the service's tables so far (rolled-back ones included).</summary>
    public static async Task<long> WritesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT last_value + (CASE WHEN is_called THEN 1 ELSE 0 END) FROM {WriteCounter}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs SQL against the test database and returns the first column of the first row.</summary>
    /// <summary>Every host of the tests counts its clients in the same table (rate limits are shared by replicas): the
    /// shared host's last requests are added first, then all counts are forgotten.</summary>
    public async Task ResetRateLimitsAsync()
    {
        await Services.GetRequiredService<LinkJ.Infrastructure.RateLimiting.RateLimitCounters>().FlushAsync(CancellationToken.None);
        await ScalarAsync<object>("DELETE FROM rate_limit_counters");
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:LinkJ", _database.ConnectionString);
        builder.UseSetting("RateLimits:AnonymousPerMinute", "1000000"); // the rate-limit tests use a host of their own
        builder.UseSetting("RateLimits:ApiKeyPerMinute", "1000000");
        builder.UseSetting("RateLimits:FailedAuthPerMinute", "1000000");
        builder.UseSetting("Cors:WriteOrigins:0", TrustedOrigin);
        // The webhook tests run dispatchers of their own (WebhookHost), and count what each sends.
        builder.UseSetting("Webhooks:DispatcherEnabled", "false");
        builder.UseSetting("Webhooks:AllowLoopback", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        ContractTally.Write();
        await DisposeAsync();
        await _database.DisposeAsync();
    }
}
