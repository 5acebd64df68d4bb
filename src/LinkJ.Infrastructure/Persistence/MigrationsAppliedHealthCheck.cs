using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// Ready only when the database answers and has every migration this build knows. It asks the database at most once
/// per <see cref="DatabaseOptions.ReadinessCacheSeconds"/> (<see cref="ReadinessAnswer"/>: probes come from every
/// kubelet, load balancer and monitor, and each question is a query on the primary), bounded by the connect timeout,
/// and tells the <see cref="DatabaseCircuit"/> what it found, so a healthy check ends fail-fast mode at once.
/// </summary>
public sealed class MigrationsAppliedHealthCheck(AppDbContext db, DatabaseCircuit circuit, ReadinessAnswer answer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        answer.GetAsync(() => AskAsync(cancellationToken), reuseHealthy: !circuit.IsOpen);

    private async Task<HealthCheckResult> AskAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            circuit.Succeeded(probe: true);
            return pending == 0
                ? HealthCheckResult.Healthy("Database reachable, migrations applied.")
                : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied.");
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            if (DatabaseFailures.IsConnectionFailure(exception))
            {
                circuit.Failed(exception);
            }

            return HealthCheckResult.Unhealthy("Database unreachable.");
        }
    }
}

/// <summary>
/// The readiness check's last healthy answer, reused for <see cref="DatabaseOptions.ReadinessCacheSeconds"/> unless the
/// database has been found down since; probes that arrive while the database is being asked share that question. An
/// unhealthy answer is never reused: the replica must come back into service as soon as the database is back.
/// </summary>
public sealed class ReadinessAnswer(TimeProvider time, IOptions<DatabaseOptions> options)
{
    private readonly Lock _lock = new();
    private Task<HealthCheckResult>? _answer;
    private DateTimeOffset _askedAt;

    public Task<HealthCheckResult> GetAsync(Func<Task<HealthCheckResult>> ask, bool reuseHealthy)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_answer is { } answer
                && (!answer.IsCompleted
                    || (reuseHealthy && answer.IsCompletedSuccessfully && answer.Result.Status == HealthStatus.Healthy
                        && now - _askedAt < TimeSpan.FromSeconds(options.Value.ReadinessCacheSeconds))))
            {
                return answer;
            }

            var asked = ask();
            _answer = asked;
            _askedAt = now;
            return asked;
        }
    }
}
