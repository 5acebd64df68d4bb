using System.Globalization;
using System.Security.Claims;
using LinkJ.Api.Errors;
using LinkJ.Application.Abstractions;
using Microsoft.AspNetCore.Mvc;

namespace LinkJ.Api.Http;

/// <summary>The <c>RateLimits</c> section of the configuration.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests a minute per client address without an API key (failed key attempts count here too).</summary>
    public int AnonymousPerMinute { get; set; } = 600;

    /// <summary>Requests a minute per API key.</summary>
    public int ApiKeyPerMinute { get; set; } = 6000;

    /// <summary>Invalid API keys a minute per client address and key prefix, after which that address's requests with
    /// keys of that prefix get 429.</summary>
    public int FailedAuthPerMinute { get; set; } = 20;

    /// <summary>Distinct clients a minute that one network (IPv4 /24, IPv6 /48) may bring to a replica before the rest of
    /// them are counted together as the network (<see cref="NewClientLimit"/>).</summary>
    public int NewClientsPerNetworkPerMinute { get; set; } = 32;
}

/// <summary>
/// Fixed one-minute windows: per client address for anonymous clients, per key for API-key clients, which get their
/// own, larger budget. The counts are shared through PostgreSQL (<see cref="ISharedRequestCounters"/>), so a client has one
/// budget however many replicas serve it. An address is an IPv4 address or an IPv6 /64 (<see cref="ClientAddress"/>), and a
/// network that brings many clients at once is counted as one (<see cref="NewClientLimit"/>, checked in memory before
/// any counter row is written). Every response says where the client stands (<c>RateLimit-Policy</c>,
/// <c>RateLimit</c>, draft IETF httpapi-ratelimit-headers); a refused request gets a 429 problem with <c>Retry-After</c>.
/// Health probes are not counted.
/// </summary>
public static class RateLimits
{
    private static readonly TimeSpan Window = SharedRequestCounters.Window;

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(options);
        services.AddSingleton<NewClientLimit>();
        return services;
    }

    /// <summary>Counts the request against its client's budget, refuses it with 429 when spent, and announces the budget.</summary>
    public static IApplicationBuilder UseApiRateLimits(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Probes, and the start-up warm-up's reads (in process, ADR 0052): no client's budget.
        if (context.Request.Path.StartsWithSegments("/health") || WarmUpPipeline.IsWarmUp(context))
        {
            return next(context);
        }

        var options = context.RequestServices.GetRequiredService<RateLimitOptions>();
        var (policy, permits) = PolicyOf(context, options);
        var counting = context.RequestServices.GetRequiredService<ISharedRequestCounters>().HitAsync(policy, permits, context.RequestAborted);
        // A client already counted on this replica is answered from memory: no state machine for the request then.
        return counting.IsCompletedSuccessfully
            ? Counted(context, next, policy, permits, counting.Result)
            : CountedAsync(context, next, policy, permits, counting);
    });

    private static async Task CountedAsync(HttpContext context, RequestDelegate next, string policy, int permits, ValueTask<SharedRequestCounters.Hit> counting) =>
        await Counted(context, next, policy, permits, await counting);

    private static Task Counted(HttpContext context, RequestDelegate next, string policy, int permits, SharedRequestCounters.Hit hit)
    {
        if (hit.Count > permits)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling(hit.SecondsLeft));
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            WriteHeaders(context.Response, policy, permits, remaining: 0, retryAfter);
            return context.WriteProblemAsync(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimitExceeded, "Too many requests.",
                $"This client may make {permits} requests a minute; try again in {retryAfter} s.");
        }

        context.Response.OnStarting(() =>
        {
            WriteHeaders(context.Response, policy, permits, permits - hit.Count, reset: null);
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static (string Policy, int Permits) PolicyOf(HttpContext context, RateLimitOptions options)
    {
        var key = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        return key is not null
            ? ("key:" + key, options.ApiKeyPerMinute)
            : ("address:" + context.RequestServices.GetRequiredService<NewClientLimit>().PartitionOf(context.Connection.RemoteIpAddress), options.AnonymousPerMinute);
    }

    private static void WriteHeaders(HttpResponse response, string policy, int permits, long remaining, int? reset)
    {
        var name = policy.StartsWith("key:", StringComparison.Ordinal) ? "api-key" : "anonymous";
        response.Headers["RateLimit-Policy"] = PolicyHeader(name, permits);
        response.Headers["RateLimit"] = $"\"{name}\";r={Math.Max(0, remaining)}" + (reset is { } seconds ? $";t={seconds}" : string.Empty);
    }

    // The policy's header is the same for every response of a budget: written once per (policy, permits), not per request.
    // An immutable object swapped whole, so a reader on another thread never sees one budget's permits with another's text.
    private sealed record PolicyText(int Permits, string Header);

    private static PolicyText? _anonymousPolicy, _keyPolicy;

    private static string PolicyHeader(string name, int permits)
    {
        var anonymous = name == "anonymous";
        if ((anonymous ? Volatile.Read(ref _anonymousPolicy) : Volatile.Read(ref _keyPolicy)) is { } known && known.Permits == permits)
        {
            return known.Header;
        }

        var text = new PolicyText(permits, $"\"{name}\";q={permits};w={(int)Window.TotalSeconds}");
        if (anonymous)
        {
            Volatile.Write(ref _anonymousPolicy, text);
        }
        else
        {
            Volatile.Write(ref _keyPolicy, text);
        }

        return text.Header;
    }
}
