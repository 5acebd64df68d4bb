using System.Globalization;
using LinkJ.Api.Errors;
using LinkJ.Api.Http;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Security;

namespace LinkJ.Api.Security;

/// <summary>
/// Failed API-key attempts per client address (an IPv4 address or an IPv6 /64) and presented key prefix (the
/// <c>lj_&lt;prefix&gt;_</c> part; anything else counts as one "malformed" prefix), in one-minute windows counted in the
/// shared <see cref="ISharedRequestCounters"/>, so the budget is one however many replicas serve the client. A key is 256
/// random bits, so guessing is hopeless; the limit stops a client from making the service check keys for it at the rate
/// of its whole request budget (which still caps all its attempts together). Per prefix, because an office behind one
/// NAT address shares it: a colleague's (or an attacker's) bad keys there lock out their own prefix, never the valid
/// keys of everyone else. A replica refuses from what it knows: the failures it counted, and the shared total it read
/// back with its own first failure of the window (or the next flush), so another replica may let one more through.
/// </summary>
public sealed class AuthFailureLimit(RateLimitOptions options, ISharedRequestCounters counters)
{
    public static readonly TimeSpan Window = SharedRequestCounters.Window;

    public int Limit => options.FailedAuthPerMinute;

    /// <summary>"auth-failures:&lt;address&gt;|&lt;prefix&gt;".</summary>
    public static string PartitionOf(HttpContext context) =>
        "auth-failures:" + ClientAddress.Of(context.Connection.RemoteIpAddress) + "|"
        + (ApiKeyAuthenticationHandler.PresentedKey(context.Request) is { } presented ? ApiKeyFormat.PrefixOf(presented) ?? "malformed" : "none");

    /// <summary>Counts a failed attempt of the request's address and key prefix, in the shared counters.</summary>
    public async Task RecordFailureAsync(HttpContext context) =>
        await counters.HitAsync(PartitionOf(context), Limit, context.RequestAborted);

    public bool IsBlocked(HttpContext context) => counters.Peek(PartitionOf(context)) >= Limit;

    /// <summary>The same budget for credentials presented elsewhere than in the headers (a calendar feed token's prefix).</summary>
    public static string PartitionOf(HttpContext context, string? prefix) =>
        "auth-failures:" + ClientAddress.Of(context.Connection.RemoteIpAddress) + "|" + (prefix ?? "malformed");

    public async Task RecordFailureAsync(HttpContext context, string? prefix) =>
        await counters.HitAsync(PartitionOf(context, prefix), Limit, context.RequestAborted);

    public bool IsBlocked(HttpContext context, string? prefix) => counters.Peek(PartitionOf(context, prefix)) >= Limit;
}

public static class AuthFailureLimits
{
    /// <summary>Refuses, before any key is checked, the requests that present a key of a prefix out of failures at their address.</summary>
    public static IApplicationBuilder UseAuthFailureLimit(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<AuthFailureLimit>();
        if (ApiKeyAuthenticationHandler.PresentsKey(context.Request) && limit.IsBlocked(context))
        {
            context.Response.Headers.RetryAfter = ((int)AuthFailureLimit.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return context.WriteProblemAsync(StatusCodes.Status429TooManyRequests, ProblemCodes.TooManyAuthFailures, "Too many failed API key attempts.",
                $"This address sent {limit.Limit} invalid API keys with this prefix within a minute; try again later.");
        }

        return next(context);
    });
}
