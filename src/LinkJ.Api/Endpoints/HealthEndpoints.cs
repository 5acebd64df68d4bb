using LinkJ.Api.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkJ.Api.Endpoints;

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers and is migrated, and the
    /// start-up warm-up is over (ADR 0052). Both say
    /// which build runs (<c>LinkJ-Version</c>, <c>LinkJ-Build</c>: <see cref="BuildIdentity"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Liveness: the process is up").WithDisplayName("Liveness");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReadyAsync })
            .WithTags("Health").WithSummary("Readiness: the database is reachable and migrated").WithDisplayName("Readiness");
        // Neither is in the request log (probes come every few seconds); a failing check is logged by the health check service.
        return app;
    }

    /// <summary>The status as plain text ("Healthy"), as the default writer does, and the build's headers.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report) => WriteAsync(context, report.Status);

    /// <summary>
    /// The readiness checks' answer, except while the start-up warm-up runs (ADR 0052): then 503 "Unhealthy", as when a
    /// check fails. The warm-up is asked here rather than as a health check of its own because the health check service
    /// logs every Unhealthy check as an Error, which made each probe of every deploy an Error in the log (ADR 0058). The
    /// checks still run (the status code the middleware set from them is only overridden), so a database that is down
    /// while the service warms up is logged as before.
    /// </summary>
    private static Task WriteReadyAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Unhealthy && !context.RequestServices.GetRequiredService<WarmUpState>().IsOver)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return WriteAsync(context, HealthStatus.Unhealthy);
        }

        return WriteAsync(context, report.Status);
    }

    private static Task WriteAsync(HttpContext context, HealthStatus status)
    {
        context.RequestServices.GetRequiredService<BuildIdentity>().WriteHeaders(context.Response);
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(status.ToString());
    }
}
