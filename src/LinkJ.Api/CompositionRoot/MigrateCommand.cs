using LinkJ.Api.Observability;
using LinkJ.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LinkJ.Api.CompositionRoot;

/// <summary>
/// <c>LinkJ.Api migrate</c>: applies the pending migrations, adds the missing seed data (unless
/// <c>Database:SeedOnStartup</c> is false) and exits — 0 when done, 1 when it failed. What a deployment runs once per
/// release (the Kubernetes Job in deploy/k8s) while its replicas run with <c>Database:ApplyMigrationsOnStartup=false</c>
/// and <c>Database:SeedOnStartup=false</c>, so that they never race each other over the schema.
/// </summary>
public static partial class MigrateCommand
{
    public const string Verb = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        // appsettings.json beside the executable, wherever it is started from (dotnet run, a container, the tests).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.Skip(1).ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
        builder.Services.AddInfrastructure(builder.Configuration);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateCommand).FullName!);
        var seed = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.SeedOnStartup;
        try
        {
            // Not the hosted service's start-up settings: this verb always migrates.
            await ActivatorUtilities.CreateInstance<DatabaseInitializer>(host.Services).InitializeAsync(migrate: true, seed, CancellationToken.None);
            LogDone(logger, seed);
            return 0;
        }
#pragma warning disable CA1031 // the exit code is the job's result: report any failure and exit non-zero
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(logger, exception);
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations applied (seed data added where missing: {Seeded}); exiting.")]
    private static partial void LogDone(ILogger logger, bool seeded);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migration failed; exiting with 1.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
