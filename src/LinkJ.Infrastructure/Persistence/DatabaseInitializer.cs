using LinkJ.Application.Seed;
using LinkJ.Infrastructure.Persistence.Seed;
using Microsoft.EntityFrameworkCore;
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
            // MigrateAsync creates the history table first, takes EF's migration lock (replicas starting together apply
            // each migration once) and does nothing when the schema is current.
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger);
        }

        if (seed)
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseSeeder>().SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date.")]
    private static partial void LogMigrated(ILogger logger);
}
