using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LinkJ.Api.Observability;

/// <summary>
/// Traces and metrics through OpenTelemetry (ASP.NET Core, HttpClient, Npgsql and runtime instrumentation), exported by
/// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics also served for Prometheus to scrape; JSON logs
/// with the trace id; one request log line per request that records the method, path, status, duration and the API
/// key's name — never headers, query strings or bodies, so neither an API key nor anything else a client sends ends up
/// in the log.
/// </summary>
public static class ObservabilitySetup
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        builder.Services.AddSingleton(options);

        builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();

        var otlp = !string.IsNullOrWhiteSpace(configuration[ObservabilityOptions.OtlpEndpointVariable]);
        var serviceName = configuration[ObservabilityOptions.ServiceNameVariable] is { Length: > 0 } name ? name : ObservabilityOptions.DefaultServiceName;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(ObservabilitySetup).Assembly.GetName().Version?.ToString()));
        // Traces are recorded only when there is somewhere to send them: recording a span per request and per database
        // command that nobody reads cost about a third of a read's CPU. Logs keep the trace id either way (ASP.NET Core
        // starts an activity per request for its logging scope).
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsOperational(context.Request.Path, options))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }

        if (options.Prometheus.Enabled && options.Prometheus.Port > 0)
        {
            ListenOnMetricsPort(builder, options.Prometheus.Port);
        }

        telemetry.WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (options.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint (before rate limits, caching and the request log: scrapers are not clients) and
    /// the request log. Not an endpoint of the API, so not in the OpenAPI document.
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<ObservabilityOptions>();
        if (options.Prometheus.Enabled && options.Prometheus.Port > 0)
        {
            // The metrics port serves the metrics and nothing else.
            var port = options.Prometheus.Port;
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort == port && context.Request.Path != options.Prometheus.Path)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        if (options.Prometheus.Enabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => IsMetricsRequest(context, options.Prometheus));
        }

        app.UseRequestLog(path => IsOperational(path, options));
        return app;
    }

    private static bool IsMetricsRequest(HttpContext context, ObservabilityOptions.PrometheusOptions prometheus) =>
        context.Request.Path == prometheus.Path
        && (prometheus.Port == 0 || context.Connection.LocalPort == prometheus.Port);

    /// <summary>
    /// Adds the metrics port to the URLs the server listens on (ASPNETCORE_URLS / --urls, else ASPNETCORE_HTTP_PORTS, else
    /// Kestrel's default), on the host of the first: localhost under scripts/run.sh, every interface in a container.
    /// </summary>
    private static void ListenOnMetricsPort(WebApplicationBuilder builder, int port)
    {
        var configured = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        var urls = !string.IsNullOrWhiteSpace(configured)
            ? configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : builder.WebHost.GetSetting("http_ports") is { Length: > 0 } ports
                ? [.. ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => "http://*:" + p)]
                : ["http://localhost:5000"];
        var suffix = ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (urls.Any(url => url.TrimEnd('/').EndsWith(suffix, StringComparison.Ordinal)))
        {
            return;
        }

        var host = System.Text.RegularExpressions.Regex.Match(urls[0], "^https?://(\\[[^\\]]*\\]|[^:/]+)");
        urls.Add("http://" + (host.Success ? host.Groups[1].Value : "localhost") + suffix);
        builder.WebHost.UseUrls([.. urls]);
    }

    /// <summary>Probes and scrapes, which come every few seconds and would drown the traces of real requests.</summary>
    private static bool IsOperational(PathString path, ObservabilityOptions options) =>
        path.StartsWithSegments("/health") || path == options.Prometheus.Path;
}
