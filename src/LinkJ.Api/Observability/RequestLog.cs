using System.Diagnostics;

namespace LinkJ.Api.Observability;

/// <summary>
/// One log line per request, written when the response is done: method, path, status, duration in milliseconds, and who
/// made it (the API key's name, as <c>keys list</c> shows it, or "anonymous"; never the key). Never headers, query strings
/// or bodies, so nothing a client sends ends up in the log. Probes are not logged (they come every few seconds), nor the start-up warm-up's reads (ADR 0052).
/// </summary>
/// <remarks>
/// ASP.NET Core's HttpLogging did the same with a third of a cached read's CPU: it wraps every response body in a
/// buffering stream in case a body is to be logged, and builds its line from a list of fields. This writes one
/// source-generated log call (see docs/performance.md).
/// </remarks>
public static partial class RequestLog
{
    /// <summary>The log category, which <c>Logging:LogLevel</c> can turn off.</summary>
    public const string Category = "LinkJ.Api.RequestLog";

    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app, Func<PathString, bool> skip)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information) || skip(context.Request.Path) || LinkJ.Api.Http.WarmUpPipeline.IsWarmUp(context))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var user = context.User.Identity;
                Completed(
                    logger,
                    context.Request.Method,
                    context.Request.Path.Value ?? string.Empty,
                    context.Response.StatusCode,
                    Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3),
                    user?.IsAuthenticated == true ? user.Name ?? "unnamed" : "anonymous");
            }
        });
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information,
        Message = "{Method} {Path} answered {StatusCode} in {Duration} ms for {Client}")]
    private static partial void Completed(ILogger logger, string method, string path, int statusCode, double duration, string client);
}
