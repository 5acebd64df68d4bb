using LinkJ.Application.Agreements.Commands.ExpireAgreements;
using LinkJ.Infrastructure.Idempotency;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkJ.Infrastructure.Maintenance;

/// <summary>The <c>Maintenance</c> section of the configuration.</summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";

    /// <summary>How often the service expires ended agreements and forgets old idempotency keys.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an Idempotency-Key and its response are kept (at least 24 hours).</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(48);
}

/// <summary>
/// Expires agreements whose validity has ended (written to the change feed like any change, by "system"), queues the
/// <c>agreement.expiring</c> reminders that are due (ADR 0036), purges old
/// idempotency keys, forgets idle rate-limit counters and deletes old webhook delivery log rows (ADR 0046): once at start-up, then every
/// <see cref="MaintenanceOptions.Interval"/>. A failed round is logged and tried again next time; two replicas doing it
/// at once cannot both change one agreement (version token).
/// </summary>
public sealed partial class MaintenanceService(IServiceScopeFactory scopes, IOptions<MaintenanceOptions> options, ILogger<MaintenanceService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is DbUpdateException or Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var expired = 0;
        int batch;
        do
        {
            batch = await sender.Send(new ExpireAgreementsCommand(), cancellationToken);
            expired += batch;
        }
        while (batch > 0);

        // After expiring: an agreement that ended is no longer in force, and gets no reminder.
        var reminded = await scope.ServiceProvider.GetRequiredService<Webhooks.ExpiryReminders>().RunAsync(cancellationToken);
        var purged = await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().PurgeAsync(options.Value.IdempotencyRetention, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<RateLimiting.RateLimitCounters>().PurgeAsync(cancellationToken);
        var forgotten = await scope.ServiceProvider.GetRequiredService<Webhooks.DeliveryLogRetention>().PurgeAsync(cancellationToken);
        if (expired + purged + reminded + forgotten > 0)
        {
            LogDone(logger, expired, purged, reminded, forgotten);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance: expired {Expired} agreement(s), purged {Purged} idempotency key(s), queued {Reminded} expiry reminder(s), deleted {Forgotten} old webhook delivery log row(s).")]
    private static partial void LogDone(ILogger logger, int expired, int purged, int reminded, int forgotten);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance round failed; it runs again at the next interval.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
