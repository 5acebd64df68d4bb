using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using LinkJ.Api.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LinkJ.Api.Http;

/// <summary>The <c>RateLimits</c> section of the configuration.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests a minute per client address without an API key (failed key attempts count here too).</summary>
    public int AnonymousPerMinute { get; set; } = 600;

    /// <summary>Requests a minute per API key.</summary>
    public int ApiKeyPerMinute { get; set; } = 6000;

    /// <summary>Invalid API keys a minute per client address, after which its requests with a key get 429.</summary>
    public int FailedAuthPerMinute { get; set; } = 20;
}

/// <summary>
/// Fixed one-minute windows: per client address for anonymous clients, per key for API-key clients, which get their
/// own, larger budget. Every response says where the client stands (<c>RateLimit-Policy</c>, <c>RateLimit</c>, draft
/// IETF httpapi-ratelimit-headers); a refused request gets a 429 problem with <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var (policy, permits) = PolicyOf(context, options);
            return RateLimitPartition.GetFixedWindowLimiter(policy, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        services.AddSingleton(limiter);
        services.AddRateLimiter(rateLimiter =>
        {
            rateLimiter.GlobalLimiter = limiter;
            rateLimiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : (int)Window.TotalSeconds;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var (policy, permits) = PolicyOf(http, options);
                WriteHeaders(http.Response, policy, permits, remaining: 0, retryAfter);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"This client may make {permits} requests a minute; try again in {retryAfter} s.",
                        Type = ProblemCodes.TypeOf(ProblemCodes.RateLimitExceeded),
                        Extensions = { ["code"] = ProblemCodes.RateLimitExceeded },
                    },
                });
            };
        });
        services.AddSingleton(options);
        return services;
    }

    /// <summary>Announces the client's policy and what is left of its window on every response.</summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var options = context.RequestServices.GetRequiredService<RateLimitOptions>();
        var limiter = context.RequestServices.GetRequiredService<PartitionedRateLimiter<HttpContext>>();
        context.Response.OnStarting(() =>
        {
            if (context.Response.StatusCode != StatusCodes.Status429TooManyRequests)
            {
                var (policy, permits) = PolicyOf(context, options);
                var remaining = limiter.GetStatistics(context)?.CurrentAvailablePermits ?? permits;
                WriteHeaders(context.Response, policy, permits, remaining, reset: null);
            }

            return Task.CompletedTask;
        });
        await next(context);
    });

    private static (string Policy, int Permits) PolicyOf(HttpContext context, RateLimitOptions options)
    {
        var key = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return key is not null
            ? ("key:" + key, options.ApiKeyPerMinute)
            : ("address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), options.AnonymousPerMinute);
    }

    private static void WriteHeaders(HttpResponse response, string policy, int permits, long remaining, int? reset)
    {
        var name = policy.StartsWith("key:", StringComparison.Ordinal) ? "api-key" : "anonymous";
        response.Headers["RateLimit-Policy"] = $"\"{name}\";q={permits};w={(int)Window.TotalSeconds}";
        response.Headers["RateLimit"] = $"\"{name}\";r={Math.Max(0, remaining)}" + (reset is { } seconds ? $";t={seconds}" : string.Empty);
    }
}
