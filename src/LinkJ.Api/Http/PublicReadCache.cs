using System.Security.Cryptography;
using System.Text;
using LinkJ.Infrastructure.Persistence;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LinkJ.Api.Http;

/// <summary>The <c>Caching</c> section of the configuration.</summary>
public sealed class CachingOptions
{
    public const string Section = "Caching";

    /// <summary>How long browsers and proxies may use a public read without asking again.</summary>
    public int MaxAgeSeconds { get; set; } = 60;

    /// <summary>How long after that they may show it while they revalidate in the background.</summary>
    public int StaleWhileRevalidateSeconds { get; set; } = 300;

    /// <summary>Keep response bodies and share their computation; off, only ETags and 304s remain (the benchmark turns it off
    /// to compare the uncached path with its baseline).</summary>
    public bool BodyCacheEnabled { get; set; } = true;

    /// <summary>
    /// Memory for cached response bodies. 16 MB holds about 5,000 agreements in each language, far more than the pages a
    /// partner website shows again and again; a larger cache mostly keeps reads that will not come again, and each one it
    /// evicts is garbage in the oldest generation: at 64 MB the API's peak RSS under the benchmark's mix rose from
    /// 280 to 328 MB (docs/performance.md). Raise it where memory allows and many different reads repeat.
    /// </summary>
    public long MaxCacheBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>
/// Strong ETags, 304s and an in-memory cache for every GET under /api/v1. A representation is identified by the
/// database's <see cref="DataVersion"/> (which any committed write moves), the request (path, query, negotiated
/// language, Accept) and the build: the same tag means the same bytes, on any replica. <c>If-None-Match</c> is
/// answered from that tag alone, without running the query; a cached body is served only for the current version,
/// so a write is visible to the very next read. Item ETags keep the resource's version in front (<c>"v3.…"</c>),
/// which is what If-Match on a write checks.
/// </summary>
public sealed class PublicReadCache(RequestDelegate next, DataVersion dataVersion, IOptions<CachingOptions> options, BuildIdentity build)
{
    // Changes with every build of different code, whatever version it was given (BuildIdentity).
    private readonly string _build = build.Id;

    private readonly MemoryCache _bodies = new(new MemoryCacheOptions { SizeLimit = options.Value.MaxCacheBytes });

    // Requests for a representation that is being computed wait for it instead of computing it again (no stampede
    // when many clients miss the cache at once, e.g. right after a write).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<Cached?>> _computing = new(StringComparer.Ordinal);

    private sealed record Cached(int Status, string ContentType, string? ContentLanguage, string ETag, byte[] Body);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api/v1"))
        {
            await next(context);
            return;
        }

        var version = await dataVersion.CurrentAsync(context.RequestAborted);
        var tag = Tag(context.Request, version, _build);
        if (IfNoneMatch(context.Request, tag) is { } matched)
        {
            WriteCachingHeaders(context.Response, matched, options.Value);
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        if (!options.Value.BodyCacheEnabled)
        {
            await StreamAsync(context, tag, version);
            return;
        }

        if (_bodies.TryGetValue(tag, out Cached? cached) && cached is not null)
        {
            await ServeAsync(context, cached);
            return;
        }

        var computed = new TaskCompletionSource<Cached?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_computing.TryAdd(tag, computed.Task))
        {
            if (_computing.TryGetValue(tag, out var running) && await running is { } shared)
            {
                await ServeAsync(context, shared);
                return;
            }
        }
        else
        {
            try
            {
                computed.SetResult(await ComputeAsync(context, tag, version));
            }
            catch
            {
                computed.TrySetResult(null);
                throw;
            }
            finally
            {
                _computing.TryRemove(tag, out _);
            }

            return;
        }

        await ComputeAsync(context, tag, version);
    }

    private async Task ServeAsync(HttpContext context, Cached cached)
    {
        WriteCachingHeaders(context.Response, cached.ETag, options.Value);
        context.Response.StatusCode = cached.Status;
        context.Response.ContentType = cached.ContentType;
        if (cached.ContentLanguage is not null)
        {
            context.Response.Headers.ContentLanguage = cached.ContentLanguage;
        }

        await context.Response.Body.WriteAsync(cached.Body, context.RequestAborted);
    }

    /// <summary>Runs the endpoint and streams its body as it is written; only the headers of a 200 are completed.</summary>
    private async Task StreamAsync(HttpContext context, string tag, long version)
    {
        await RouteReadsAsync(context, version);
        context.Response.OnStarting(() =>
        {
            if (context.Response.StatusCode == StatusCodes.Status200OK)
            {
                WriteCachingHeaders(context.Response, ETagOf(context.Response, tag), options.Value);
            }

            return Task.CompletedTask;
        });
        await next(context);
    }

    /// <summary>
    /// Lets the endpoint read from the standby if it has replayed <paramref name="version"/> (the primary's, read
    /// above): a body is never computed from older data than the version its tag and cache entry are keyed on.
    /// </summary>
    private static Task RouteReadsAsync(HttpContext context, long version) =>
        context.RequestServices.GetRequiredService<ReadRoute>().UseStandbyAsync(version, context.RequestAborted);

    /// <summary>The representation's ETag: the item's version (set by the endpoint as "v3"), if any, in front of <paramref name="tag"/>.</summary>
    private static string ETagOf(HttpResponse response, string tag)
    {
        var version = response.Headers.ETag.ToString().Trim('"');
        return "\"" + (version.Length > 0 ? version + "." : string.Empty) + tag + "\"";
    }

    /// <summary>Runs the endpoint, and keeps a 200's body under <paramref name="tag"/>; returns it (null for anything else).</summary>
    private async Task<Cached?> ComputeAsync(HttpContext context, string tag, long version)
    {
        await RouteReadsAsync(context, version);
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        Cached? result = null;
        if (context.Response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = ETagOf(context.Response, tag);
            WriteCachingHeaders(context.Response, etag, options.Value);
            var body = buffer.ToArray();
            result = new Cached(200, context.Response.ContentType ?? "application/json", context.Response.Headers.ContentLanguage, etag, body);
            // The body, and about what the entry's key, ETag, record and the cache's own entry take besides.
            _bodies.Set(tag, result, new MemoryCacheEntryOptions { Size = body.Length + 512, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
        return result;
    }

    /// <summary>The client's tag that names the current representation, if it sent one.</summary>
    private static string? IfNoneMatch(HttpRequest request, string tag)
    {
        foreach (var value in request.Headers.IfNoneMatch)
        {
            foreach (var candidate in (value ?? string.Empty).Split(','))
            {
                var trimmed = candidate.Trim();
                if (trimmed == "*" || trimmed.Trim('"').EndsWith(tag, StringComparison.Ordinal) && trimmed.StartsWith('"'))
                {
                    return trimmed == "*" ? "\"" + tag + "\"" : trimmed;
                }
            }
        }

        return null;
    }

    private static void WriteCachingHeaders(HttpResponse response, string etag, CachingOptions options)
    {
        response.Headers.ETag = etag;
        response.Headers.CacheControl = $"public, max-age={options.MaxAgeSeconds}, stale-while-revalidate={options.StaleWhileRevalidateSeconds}";
        response.Headers.Append(HeaderNames.Vary, "Accept");
    }

    private static string Tag(HttpRequest request, long version, string build)
    {
        var query = string.Join('&', request.Query.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Key + "=" + q.Value));
        // Of Accept only what changes the body counts (CSV or not), so clients that send different Accept headers share tags.
        var csv = request.Headers.Accept.ToString().Contains(Formats.Csv.MediaType, StringComparison.OrdinalIgnoreCase);
        var key = $"{build}|{version}|{request.Path}|{query}|{request.HttpContext.Items["linkj.language"]}|{(csv ? request.Headers.Accept.ToString() : "json")}";
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 15).Replace('+', '-').Replace('/', '_');
    }
}
