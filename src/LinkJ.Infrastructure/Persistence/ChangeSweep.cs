using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// Numbers committed changes still without a feed position, every <see cref="DatabaseOptions.ChangeSweepSeconds"/>.
/// A writer numbers its own changes right after its commit (ADR 0030); a writer that stopped in between (a crash, a
/// lost connection) leaves them to this sweep, on any replica. With nothing waiting it costs one index probe.
/// </summary>
public sealed partial class ChangeSweep(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options, ILogger<ChangeSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ChangeSweepSeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ChangeSweepSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var command = dataSource.CreateCommand(AppDbContext.SequenceChangesSql);
                if ((int)(await command.ExecuteScalarAsync(stoppingToken))! > 0)
                {
                    LogSequenced(logger);
                }

                // The running numbers' and statistics' tallies are written in stripes (ADR 0033): fold them into one
                // row per key, so reads sum few rows.
                await using var fold = dataSource.CreateCommand("SELECT fold_tallies()");
                await fold.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The database is unavailable, or still being migrated: the next tick tries again.
                LogFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Change sweep: numbered changes left by a writer that stopped after its commit.")]
    private static partial void LogSequenced(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Change sweep failed; it runs again at the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
