using LinkJ.Application.Abstractions;
using LinkJ.Infrastructure.Persistence;
using LinkJ.Infrastructure.Persistence.Seed;
using LinkJ.Infrastructure.Actors;
using LinkJ.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace LinkJ.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "LinkJ";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"No connection string 'ConnectionStrings:{ConnectionStringName}' is configured. " +
                "Set ConnectionStrings__LinkJ, or start the service with scripts/run.sh, which sets up a local PostgreSQL.");

        var databaseOptions = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataSource = new NpgsqlDataSourceBuilder(WithConnectionDefaults(connectionString, databaseOptions)).Build();
        services.AddSingleton(dataSource);
        services.AddSingleton<DatabaseCircuit>();
        // Pooled: a request rents a context instead of building one (ScopedAppDbContext), and gives it its actor, who is
        // recorded in the change feed.
        services.AddPooledDbContextFactory<AppDbContext>(options => options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        services.AddScoped<ScopedAppDbContext>();
        services.AddScoped(provider => provider.GetRequiredService<ScopedAppDbContext>().Context);
        services.AddScoped<IAppDbContext>(provider => provider.GetRequiredService<AppDbContext>());

        services.TryAddScoped<ICurrentActor, SystemActor>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock, SystemClock>();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddScoped<DatabaseSeeder>();
        services.AddScoped<Security.ApiKeyService>();
        services.AddSingleton<DataVersion>();
        services.AddSingleton<VocabularyCache>();
        services.AddScoped<Idempotency.IdempotencyStore>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddOptions<Maintenance.MaintenanceOptions>().Bind(configuration.GetSection(Maintenance.MaintenanceOptions.Section));
        services.AddSingleton<Maintenance.MaintenanceService>();
        services.AddHostedService(provider => provider.GetRequiredService<Maintenance.MaintenanceService>());
        return services;
    }

    /// <summary>
    /// Connection settings the service wants unless the connection string sets them itself:
    /// <list type="bullet">
    /// <item>bounded waits: Npgsql's defaults (15 s to connect, 30 s per command) would let an unreachable database hold
    /// every request for tens of seconds;</item>
    /// <item>pooled connections keep their prepared statements (no DISCARD ALL when a connection goes back to the pool:
    /// the service never changes session state), and statements run more than once are prepared, so PostgreSQL parses
    /// and plans them once.</item>
    /// </list>
    /// </summary>
    public static string WithConnectionDefaults(string connectionString, DatabaseOptions options)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("TIMEOUT"))
        {
            builder.Timeout = options.ConnectTimeoutSeconds;
        }

        if (!given.Contains("COMMANDTIMEOUT"))
        {
            builder.CommandTimeout = options.CommandTimeoutSeconds;
        }

        if (!given.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
