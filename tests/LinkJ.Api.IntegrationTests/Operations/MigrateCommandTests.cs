using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.CompositionRoot;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Operations;

/// <summary><c>LinkJ.Api migrate</c>: what the release job runs before the replicas, which do not migrate themselves.</summary>
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task RunAsync_WhenTheDatabaseIsEmpty_ShouldApplyTheMigrationsSeedAndReturn0()
    {
        await using var database = await TestDatabase.CreateAsync();

        var exitCode = await MigrateCommand.RunAsync(["migrate", "--ConnectionStrings:LinkJ=" + database.ConnectionString]);

        Assert.Equal(0, exitCode);
        Assert.True(await ScalarAsync<long>(database, "SELECT count(*) FROM __ef_migrations_history") > 0);
        Assert.Equal(13, await ScalarAsync<long>(database, "SELECT count(*) FROM partners"));
    }

    [Fact]
    public async Task RunAsync_WhenRunTwiceWithoutSeeding_ShouldChangeNothingTheSecondTimeAndReturn0()
    {
        await using var database = await TestDatabase.CreateAsync();
        string[] args = ["migrate", "--ConnectionStrings:LinkJ=" + database.ConnectionString, "--Database:SeedOnStartup=false"];

        Assert.Equal(0, await MigrateCommand.RunAsync(args));
        var migrations = await ScalarAsync<long>(database, "SELECT count(*) FROM __ef_migrations_history");
        Assert.Equal(0, await MigrateCommand.RunAsync(args));

        Assert.Equal(migrations, await ScalarAsync<long>(database, "SELECT count(*) FROM __ef_migrations_history"));
        Assert.Equal(0, await ScalarAsync<long>(database, "SELECT count(*) FROM partners"));
    }

    [Fact]
    public async Task RunAsync_WhenTheServerCannotBeReached_ShouldReturn1()
    {
        // (A missing database would not do: migrating creates it.) Nothing listens on port 1.
        var unreachable = "Host=127.0.0.1;Port=1;Username=linkj;Database=linkj;Timeout=5";

        var exitCode = await MigrateCommand.RunAsync(["migrate", "--ConnectionStrings:LinkJ=" + unreachable]);

        Assert.Equal(1, exitCode);
    }

    private static async Task<T> ScalarAsync<T>(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
