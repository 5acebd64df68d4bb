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

        var dataSource = new NpgsqlDataSourceBuilder(WithConnectionDefaults(connectionString)).Build();
        services.AddSingleton(dataSource);
        // Pooled: a request rents a context instead of building one, and is given its actor (who is recorded in the
        // change feed) when it rents it.
        services.AddPooledDbContextFactory<AppDbContext>(options => options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        services.AddScoped(provider =>
        {
            var context = provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
            context.Use(provider.GetRequiredService<ICurrentActor>(), provider.GetRequiredService<VocabularyCache>());
            return context;
        });
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
        services.AddSingleton<RateLimiting.RateLimitCounters>();
        services.AddHostedService(provider => provider.GetRequiredService<RateLimiting.RateLimitCounters>());
        services.AddHostedService<DatabaseInitializer>();
        services.AddOptions<Maintenance.MaintenanceOptions>().Bind(configuration.GetSection(Maintenance.MaintenanceOptions.Section));
        services.AddSingleton<Maintenance.MaintenanceService>();
        services.AddHostedService(provider => provider.GetRequiredService<Maintenance.MaintenanceService>());
        return services;
    }

    /// <summary>
    /// Connection settings the service wants unless the connection string says otherwise: pooled connections keep
    /// their prepared statements (no DISCARD ALL when a connection goes back to the pool: the service never changes
    /// session state), and statements run more than once are prepared, so PostgreSQL parses and plans them once.
    /// </summary>
    public static string WithConnectionDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!HasKey(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    private static bool HasKey(string connectionString, params string[] names) =>
        names.Any(name => connectionString.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Contains(name.Replace(" ", string.Empty, StringComparison.Ordinal) + "=", StringComparison.OrdinalIgnoreCase));
}
