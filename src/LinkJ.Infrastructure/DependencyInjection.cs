using LinkJ.Application.Abstractions;
using LinkJ.Application.Seed;
using LinkJ.Infrastructure.Actors;
using LinkJ.Infrastructure.Persistence.Seed;
using LinkJ.Infrastructure.Persistence;
using LinkJ.Infrastructure.Time;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LinkJ.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "LinkJ";

    /// <summary>The optional connection string of a standby for public reads (see <see cref="ReadRoute"/>).</summary>
    public const string ReadConnectionStringName = "LinkJRead";

    /// <summary>The names of the database connection pools in metrics (db.client.connection.pool.name).</summary>
    public const string PrimaryDataSourceName = "linkj";

    /// <inheritdoc cref="PrimaryDataSourceName"/>
    public const string StandbyDataSourceName = "linkj-read";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"No connection string 'ConnectionStrings:{ConnectionStringName}' is configured. " +
                "Set ConnectionStrings__LinkJ, or start the service with scripts/run.sh, which sets up a local PostgreSQL.");

        var databaseOptions = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // Named: Npgsql labels its pool metrics with the name, else with the connection string (host, port, database, user).
        var dataSource = new NpgsqlDataSourceBuilder(WithConnectionDefaults(connectionString, databaseOptions)) { Name = PrimaryDataSourceName }.Build();
        services.AddSingleton(dataSource);
        services.AddSingleton<DatabaseCircuit>();
        services.AddSingleton<IDatabaseAvailability>(provider => provider.GetRequiredService<DatabaseCircuit>());
        // Pooled: a request rents a context instead of building one (ScopedAppDbContext), and gives it its actor, who is
        // recorded in the change feed.
        services.AddPooledDbContextFactory<AppDbContext>(options => ConfigureContext(options, dataSource));
        services.AddScoped<ScopedAppDbContext>();
        services.AddScoped(provider => provider.GetRequiredService<ScopedAppDbContext>().Context);
        // The use cases' database: the request's standby context when the read route chose one, else the primary.
        services.AddScoped<IAppDbContext>(provider => (IAppDbContext?)provider.GetRequiredService<ReadRoute>().Standby ?? provider.GetRequiredService<AppDbContext>());
        // The read side (ADR 0031): query services that send SQL on the routed context's connection (the standby when
        // the read route chose it for this request) and read the rows straight into the response DTOs.
        services.AddScoped(provider => new Queries.ReadDatabase(
            provider.GetRequiredService<ReadRoute>().Standby ?? provider.GetRequiredService<AppDbContext>()));
        services.AddScoped<Application.Agreements.IAgreementQueries, Queries.AgreementQueries>();
        services.AddScoped<Application.Partners.IPartnerQueries, Queries.PartnerQueries>();
        services.AddScoped<Application.Stats.IStatsQueries, Queries.StatsQueries>();
        services.AddScoped<Application.Changes.IChangeQueries, Queries.ChangeQueries>();
        services.AddScoped<Application.Documents.IAgreementDocumentQueries, Queries.AgreementDocumentQueries>();
        services.AddScoped<IReadRouting>(provider => provider.GetRequiredService<ReadRoute>());
        services.AddScoped(provider => new ReadRoute(
            provider.GetService<StandbyDatabase>(), provider.GetRequiredService<ICurrentActor>(), provider.GetRequiredService<VocabularyCache>()));
        if (configuration.GetConnectionString(ReadConnectionStringName) is { Length: > 0 } readConnectionString)
        {
            var readDataSource = new NpgsqlDataSourceBuilder(WithReadDefaults(readConnectionString, databaseOptions)) { Name = StandbyDataSourceName }.Build();
            services.AddSingleton(provider => new StandbyDatabase(
                StandbyContexts(provider.GetRequiredService<IDbContextFactory<AppDbContext>>(), readDataSource),
                readDataSource, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<StandbyDatabase>>()));
        }

        services.TryAddScoped<ICurrentActor, SystemActor>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock, SystemClock>();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddScoped<DatabaseSeeder>();
        services.AddScoped<Security.ApiKeyService>();
        services.AddScoped<LinkJ.Application.Security.ICalendarFeedTokens>(provider => provider.GetRequiredService<Security.ApiKeyService>());
        services.AddScoped<LinkJ.Application.Security.IApiKeys>(provider => provider.GetRequiredService<Security.ApiKeyService>());
        services.AddSingleton<DataVersion>();
        services.AddSingleton<IDataVersion>(provider => provider.GetRequiredService<DataVersion>());
        services.AddSingleton<ReadinessAnswer>();
        services.AddSingleton<VocabularyCache>();
        services.AddScoped<Idempotency.IdempotencyStore>();
        // The write side: its repositories and its unit of work, on the primary's context (ADR 0032).
        services.AddScoped<IIdempotencyKeys>(provider => provider.GetRequiredService<Idempotency.IdempotencyStore>());
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<IAgreementRepository, AgreementRepository>();
        services.AddScoped<IPartnerRepository, PartnerRepository>();
        services.AddScoped<IAgreementDocumentRepository, AgreementDocumentRepository>();
        // Document bytes (ADR 0038): PostgreSQL today; an S3-compatible store would be registered here instead.
        services.AddScoped<IDocumentStore, Documents.PostgresDocumentStore>();
        services.AddScoped<LinkJ.Application.Abstractions.IImportStore, Imports.ImportStore>();
        services.AddSingleton<RateLimiting.RateLimitCounters>();
        services.AddSingleton<ISharedRequestCounters>(provider => provider.GetRequiredService<RateLimiting.RateLimitCounters>());
        services.AddHostedService(provider => provider.GetRequiredService<RateLimiting.RateLimitCounters>());
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<ChangeSweep>();
        services.AddOptions<Maintenance.MaintenanceOptions>().Bind(configuration.GetSection(Maintenance.MaintenanceOptions.Section));
        services.AddSingleton<Maintenance.MaintenanceService>();
        services.AddHostedService(provider => provider.GetRequiredService<Maintenance.MaintenanceService>());
        Webhooks.WebhookSetup.AddWebhooks(services, configuration);
        return services;
    }

    /// <summary>
    /// The one configuration of every <see cref="AppDbContext"/>: the primary's and the standby's differ only in the data
    /// source they are given. EF Core keys its model (and so every compiled query, which may only run on the model it was
    /// compiled against) on these options: a second variant would build a second model, and the compiled queries would
    /// fail on whichever model did not run them first (ADR 0017).
    /// </summary>
    public static TBuilder ConfigureContext<TBuilder>(TBuilder options, NpgsqlDataSource dataSource)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
        return options;
    }

    /// <summary>
    /// The standby's contexts: configured as the primary's, on the standby's data source, and given the primary's model
    /// itself. Npgsql keys EF Core's internal services on the data source, so equal options alone would still build a
    /// second model, and a compiled query may only run on the one model it was compiled against (ADR 0017).
    /// </summary>
    public static PooledDbContextFactory<AppDbContext> StandbyContexts(IDbContextFactory<AppDbContext> primary, NpgsqlDataSource standbyDataSource)
    {
        IModel model;
        using (var context = primary.CreateDbContext())
        {
            model = context.Model;
        }

        return new PooledDbContextFactory<AppDbContext>(
            ConfigureContext(new DbContextOptionsBuilder<AppDbContext>(), standbyDataSource).UseModel(model).Options);
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
        var given = GivenKeys(connectionString);
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

        if (!(builder.Options ?? string.Empty).Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            // No JIT compilation (ADR 0047): PostgreSQL compiles a statement whose estimated cost passes jit_above_cost,
            // and a prepared search's estimate can (a generic plan of the two-plan search was compiled for 2 s to run
            // in 7 ms). Reads of a page are short; compiling never pays for itself here.
            builder.Options = string.IsNullOrEmpty(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        }

        return builder.ConnectionString;
    }

    /// <summary>The defaults, and a short connect timeout: a standby that does not answer must not hold reads up.</summary>
    public static string WithReadDefaults(string connectionString, DatabaseOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(WithConnectionDefaults(connectionString, options));
        if (!GivenKeys(connectionString).Contains("TIMEOUT"))
        {
            builder.Timeout = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>The keys the connection string sets itself, upper case and without spaces ("COMMANDTIMEOUT").</summary>
    private static HashSet<string> GivenKeys(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
}
