using LinkJ.Application.Seed;
using LinkJ.Infrastructure.Persistence.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>Migrates and seeds the database before the service takes requests, as configured in <see cref="DatabaseOptions"/>.</summary>
public sealed partial class DatabaseInitializer(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<DatabaseInitializer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        InitializeAsync(options.Value.ApplyMigrationsOnStartup, options.Value.SeedOnStartup, cancellationToken);

    /// <summary>Applies pending migrations and/or adds the missing seed data; what start-up and the <c>migrate</c> verb run.</summary>
    public async Task InitializeAsync(bool migrate, bool seed, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        if (migrate)
        {
            // MigrateAsync takes EF's migration lock (replicas starting together apply each migration once) and does
            // nothing when the schema is current; the history table is made first, without an Error in the log.
            await CreateHistoryTableAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger);
        }

        if (seed)
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseSeeder>().SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Creates the database if it is missing and the migrations history table if it is missing, as MigrateAsync would,
    /// but before it (ADR 0058). Npgsql's provider does not ask whether the history table exists: MigrateAsync reads it
    /// and takes PostgreSQL's "relation does not exist" as "nothing applied yet" (npgsql/efcore.pg#3407), after EF Core
    /// has logged the failed command as an Error; a fresh install logged that Error at its first start. The statements
    /// are EF Core's own (<c>CREATE TABLE IF NOT EXISTS</c>, a no-op once the table is there); any failure here or in the
    /// migrations still throws and is logged as before.
    /// </summary>
    private static async Task CreateHistoryTableAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            await creator.CreateAsync(cancellationToken);
        }

        await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date.")]
    private static partial void LogMigrated(ILogger logger);
}
