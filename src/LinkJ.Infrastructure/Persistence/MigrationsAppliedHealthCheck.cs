using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// Ready only when the database answers and has every migration this build knows. It always asks the database (a
/// readiness probe must see the truth, bounded by the connect timeout) and tells the <see cref="DatabaseCircuit"/> what
/// it found, so a healthy check ends fail-fast mode at once.
/// </summary>
public sealed class MigrationsAppliedHealthCheck(AppDbContext db, DatabaseCircuit circuit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
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
            if (DatabaseFailures.IsUnavailable(exception))
            {
                circuit.Failed(exception);
            }

            return HealthCheckResult.Unhealthy("Database unreachable.");
        }
    }
}
