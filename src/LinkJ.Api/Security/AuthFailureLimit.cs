using System.Globalization;
using System.Threading.RateLimiting;
using LinkJ.Api.Errors;
using LinkJ.Api.Http;
using Microsoft.AspNetCore.Mvc;

namespace LinkJ.Api.Security;

/// <summary>
/// Failed API-key attempts per client address, in one-minute windows. A key is 256 random bits, so guessing is hopeless;
/// the limit stops a client from making the service check keys for it at the rate of its whole request budget. Once
/// an address has used up its failures, every request of it that presents a key gets 429 until the window ends.
/// </summary>
public sealed class AuthFailureLimit(RateLimitOptions options) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.FailedAuthPerMinute,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public int Limit => options.FailedAuthPerMinute;

    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Counts a failed attempt from the request's address.</summary>
    public void RecordFailure(HttpContext context) => _failures.AttemptAcquire(AddressOf(context)).Dispose();

    public bool IsBlocked(HttpContext context) => _failures.GetStatistics(AddressOf(context))?.CurrentAvailablePermits <= 0;

    public void Dispose() => _failures.Dispose();
}

public static class AuthFailureLimits
{
    /// <summary>Refuses, before any key is checked, the requests that present a key from an address out of failures.</summary>
    public static IApplicationBuilder UseAuthFailureLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<AuthFailureLimit>();
        if (ApiKeyAuthenticationHandler.PresentsKey(context.Request) && limit.IsBlocked(context))
        {
            context.Response.Headers.RetryAfter = ((int)AuthFailureLimit.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await context.WriteProblemAsync(StatusCodes.Status429TooManyRequests, ProblemCodes.TooManyAuthFailures, "Too many failed API key attempts.",
                $"This address sent {limit.Limit} invalid API keys within a minute; try again later.");
            return;
        }

        await next(context);
    });
}
