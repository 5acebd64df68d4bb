using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace LinkJ.Api.Endpoints;

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers and is migrated.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Health").WithSummary("Liveness: the process is up").WithDisplayName("Liveness");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithTags("Health").WithSummary("Readiness: the database is reachable and migrated").WithDisplayName("Readiness");
        // Neither is in the request log (probes come every few seconds); a failing check is logged by the health check service.
        return app;
    }
}
