using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Faults;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Operations;

/// <summary>
/// What a start-up logs (ADR 0058): a first start on an empty database, and a restart on it, log no Error (EF Core used to
/// log the failed read of the migrations history table before creating it), while a migration that really fails, or a
/// server that refuses, still logs an Error and stops the start.
/// </summary>
public sealed class StartupLogTests
{
    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["Observability:Prometheus:Enabled"] = "false", // no metrics listener on the default port
        ["Webhooks:DispatcherEnabled"] = "false",
    };

    [Fact]
    public async Task Start_WhenTheDatabaseIsEmptyAndThenMigrated_ShouldLogNoError()
    {
        await using var database = await TestDatabase.CreateAsync();

        foreach (var start in new[] { "first start, empty database", "restart, migrated database" })
        {
            var logs = new LogCapture();
            await using var host = Host(database.ConnectionString, logs);
            using var client = host.CreateClient();

            using var ready = await client.GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains(logs.Entries, entry => entry["message"]!.GetValue<string>() == "Database schema is up to date.");
            var errors = logs.Entries.Where(IsErrorOrWorse).Select(entry => entry.ToJsonString()).ToList();
            Assert.True(errors.Count == 0, start + ":\n" + string.Join('\n', errors));
        }

        Assert.True(await ScalarAsync<long>(database, "SELECT count(*) FROM __ef_migrations_history") > 0);
    }

    /// <summary>A database that is not there yet is created, as MigrateAsync did (the server's user may create databases).</summary>
    [Fact]
    public async Task Start_WhenTheDatabaseDoesNotExist_ShouldCreateAndMigrateItWithoutLoggingAnError()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database.DatabaseName}\"", server);
            await drop.ExecuteNonQueryAsync();
        }

        var logs = new LogCapture();
        await using var host = Host(database.ConnectionString, logs);
        using var client = host.CreateClient();

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(13, await ScalarAsync<long>(database, "SELECT count(*) FROM partners"));
        var errors = logs.Entries.Where(IsErrorOrWorse).Select(entry => entry.ToJsonString()).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    /// <summary>A real migration failure: a table of the baseline is already there, so the baseline's CREATE fails.</summary>
    [Fact]
    public async Task Start_WhenAMigrationFails_ShouldLogTheFailedCommandAsAnErrorAndNotStart()
    {
        await using var database = await TestDatabase.CreateAsync();
        await ScalarAsync<object>(database, "CREATE TABLE rate_limit_counters (anything int)");
        var logs = new LogCapture();
        await using var host = Host(database.ConnectionString, logs);

        var failure = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains("rate_limit_counters", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains(logs.Entries, entry => IsErrorOrWorse(entry)
            && entry["category"]!.GetValue<string>() == "Microsoft.EntityFrameworkCore.Database.Command"
            && entry["message"]!.GetValue<string>().Contains("rate_limit_counters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WhenTheDatabaseServerRefuses_ShouldLogAnErrorAndNotStart()
    {
        // Nothing listens on port 1: the connection is refused at once.
        var logs = new LogCapture();
        await using var host = Host("Host=127.0.0.1;Port=1;Username=linkj;Database=linkj;Timeout=5", logs);

        var failure = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.NotNull(Find<NpgsqlException>(failure));
        Assert.Contains(logs.Entries, IsErrorOrWorse);
    }

    private static WebApplicationFactory<Program> Host(string connectionString, LogCapture logs) =>
        new PrivateHostFactory(connectionString, Quiet).WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));

    private static bool IsErrorOrWorse(JsonObject entry) => entry["level"]!.GetValue<string>() is "Error" or "Critical";

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static async Task<T> ScalarAsync<T>(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync() ?? new object());
    }
}
