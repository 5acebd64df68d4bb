using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LinkJ.Application.Abstractions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
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
/// Strong ETags, 304s and an in-memory cache for every GET under /api/v1 and of the partnerships page (ADR 0039). A
/// representation is identified by the database's <see cref="IDataVersion"/> (which any committed write moves), the request (path, query, negotiated
/// language, Accept) and the build: the same tag means the same bytes, on any replica. <c>If-None-Match</c> is
/// answered from that tag alone, without running the query; a cached body is served only for the current version,
/// so a write is visible to the very next read. Item ETags keep the resource's version in front (<c>"v3.…"</c>),
/// which is what If-Match on a write checks.
/// </summary>
public sealed class PublicReadCache(RequestDelegate next, IDataVersion dataVersion, IOptions<CachingOptions> options, BuildIdentity build, IClock clock)
{
    // Changes with every build of different code, whatever version it was given (BuildIdentity).
    private readonly string _build = build.Id;

    private readonly MemoryCache _bodies = new(new MemoryCacheOptions { SizeLimit = options.Value.MaxCacheBytes });

    // Requests for a representation that is being computed wait for it instead of computing it again (no stampede
    // when many clients miss the cache at once, e.g. right after a write).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<Cached?>> _computing = new(StringComparer.Ordinal);

    /// <summary>A computed 200: the headers the endpoint and this cache set on it (ETag, Link, Content-Disposition, Vary, …) and its bytes.</summary>
    private sealed record Cached(KeyValuePair<string, StringValues>[] Headers, byte[] Body);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method)
            || !(context.Request.Path.StartsWithSegments("/api/v1") || Pages.PartnershipsPage.IsPage(context.Request.Path))
            || context.GetEndpoint()?.Metadata.GetMetadata<Endpoints.Webhooks.NotKeyedOnDataVersion>() is not null)
        {
            await next(context);
            return;
        }

        var version = await dataVersion.CurrentAsync(context.RequestAborted);
        var tag = Tag(context.Request, version, _build, clock);
        if (IfNoneMatch(context.Request, tag) is { } matched)
        {
            WriteCachingHeaders(context, matched, options.Value);
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        // Exports are streamed, never held whole (however many rows): they keep their ETag and 304s, not a cached body.
        if (!options.Value.BodyCacheEnabled
            || context.GetEndpoint()?.Metadata.GetMetadata<Formats.CsvExportMetadata>() is not null)
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

    /// <summary>Answers exactly as the computed response: status, every header it was given past this point, and its bytes.</summary>
    private static async Task ServeAsync(HttpContext context, Cached cached)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, value) in cached.Headers)
        {
            context.Response.Headers[name] = value;
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
                WriteCachingHeaders(context, ETagOf(context, tag), options.Value);
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
        context.RequestServices.GetRequiredService<IReadRouting>().UseStandbyAsync(version, context.RequestAborted);

    /// <summary>The representation's ETag: the item's version (<see cref="Representation.ItemVersion"/>), if any, in front of <paramref name="tag"/>.</summary>
    private static string ETagOf(HttpContext context, string tag)
    {
        var version = context.Features.Get<Representation>()?.ItemVersion;
        return "\"" + (version is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) + "." : string.Empty) + tag + "\"";
    }

    /// <summary>Runs the endpoint, and keeps a 200's body under <paramref name="tag"/>; returns it (null for anything else).</summary>
    private async Task<Cached?> ComputeAsync(HttpContext context, string tag, long version)
    {
        await RouteReadsAsync(context, version);
        // What the response carries before the endpoint runs is set again on every request (CORS, rate limits); what
        // the endpoint and this cache add is part of the representation, kept with its body.
        var before = context.Response.Headers.ToDictionary(header => header.Key, header => header.Value, StringComparer.OrdinalIgnoreCase);
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
            var etag = ETagOf(context, tag);
            WriteCachingHeaders(context, etag, options.Value);
            var body = buffer.ToArray();
            var headers = context.Response.Headers
                .Where(header => !before.TryGetValue(header.Key, out var earlier) || earlier != header.Value)
                .ToArray();
            result = new Cached(headers, body);
            // The body, and about what the entry's key, ETag, record and the cache's own entry take besides.
            _bodies.Set(tag, result, new MemoryCacheEntryOptions { Size = body.Length + 512, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
        return result;
    }

    /// <summary>
    /// The current representation's ETag if If-None-Match names it. The comparison is weak (RFC 9110 §8.8.3.2, §13.1.2):
    /// <c>W/"x"</c> matches <c>"x"</c>, as a proxy that compressed the body sends it back; any tag of a list may match;
    /// <c>*</c> matches. A tag matches when its opaque part is this tag, or a resource's version in front of it (<c>v3.</c>).
    /// </summary>
    private static string? IfNoneMatch(HttpRequest request, string tag)
    {
        foreach (var value in request.Headers.IfNoneMatch)
        {
            foreach (var candidate in (value ?? string.Empty).Split(','))
            {
                var trimmed = candidate.Trim();
                if (trimmed == "*")
                {
                    return "\"" + tag + "\"";
                }

                if (trimmed.StartsWith("W/", StringComparison.Ordinal))
                {
                    trimmed = trimmed[2..];
                }

                if (trimmed.Length < 2 || trimmed[0] != '"' || trimmed[^1] != '"')
                {
                    continue;
                }

                var opaque = trimmed[1..^1];
                if (opaque == tag || (opaque.EndsWith("." + tag, StringComparison.Ordinal) && IsVersion(opaque.AsSpan(0, opaque.Length - tag.Length - 1))))
                {
                    return trimmed;
                }
            }
        }

        return null;
    }

    /// <summary>The query parameter whose answer depends on today's date as well as on the data.</summary>
    public const string DependsOnToday = "expiringWithin";

    private static bool IsVersion(ReadOnlySpan<char> text) =>
        text.Length > 1 && text[0] == 'v' && text[1..].IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>
    /// ETag, Cache-Control and Vary. Public reads may be kept by any cache; reads that need an API key (the change feed,
    /// histories) only by the client's own, and revalidated each time.
    /// </summary>
    private static void WriteCachingHeaders(HttpContext context, string etag, CachingOptions options)
    {
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null && !SeesInternalDocuments(context)
            ? PublicCacheControl(options)
            : "private, no-cache";
        response.Headers.Append(HeaderNames.Vary, "Accept");
    }

    // The header's text is written once for the configured ages, not per response.
    private static string PublicCacheControl(CachingOptions options)
    {
        if (Volatile.Read(ref _publicCacheControlText) is { } known
            && known.MaxAge == options.MaxAgeSeconds && known.StaleWhileRevalidate == options.StaleWhileRevalidateSeconds)
        {
            return known.Text;
        }

        var text = new CacheControlText(options.MaxAgeSeconds, options.StaleWhileRevalidateSeconds, $"public, max-age={options.MaxAgeSeconds}, stale-while-revalidate={options.StaleWhileRevalidateSeconds}");
        Volatile.Write(ref _publicCacheControlText, text);
        return text.Text;
    }

    private sealed record CacheControlText(int MaxAge, int StaleWhileRevalidate, string Text);

    private static CacheControlText? _publicCacheControlText;

    /// <summary>Whether this read shows internal documents (its body differs from the public one's; never kept by shared caches).</summary>
    private static bool SeesInternalDocuments(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Endpoints.InternalDocumentsMetadata>() is not null && Endpoints.DocumentAccess.SeesInternal(context.User);

    /// <summary>
    /// The representation's key: every part that selects it, each length-prefixed (so no value can spell another part or
    /// another parameter), the query's names and values as decoded and sorted. The body never depends on Host or scheme
    /// (absolute URLs come from PublicBaseUrl), so neither is part of it.
    /// </summary>
    private static string Tag(HttpRequest request, long version, string build, IClock clock)
    {
        // One builder per thread, reused: the key is built for every read (its text is the same as before, so are the tags).
        var key = t_key ??= new StringBuilder(256);
        key.Clear();
        void Part(string? text) => key.Append((text ?? string.Empty).Length).Append(':').Append(text);

        Part(build);
        Part(version.ToString(CultureInfo.InvariantCulture));
        Part(request.Path.Value);
        // A read relative to today (expiringWithin) changes at midnight in Japan without any write.
        Part(request.Query.ContainsKey(DependsOnToday) ? clock.TodayInJapan.ToString("O", CultureInfo.InvariantCulture) : null);
        var query = request.Query;
        if (query.Count == 1)
        {
            foreach (var (name, values) in query)
            {
                PartsOf(name, values);
            }
        }
        else if (query.Count > 1)
        {
            var sorted = query.ToArray();
            Array.Sort(sorted, static (x, y) => string.CompareOrdinal(x.Key, y.Key)); // names are unique: no ties to keep in order
            foreach (var (name, values) in sorted)
            {
                PartsOf(name, values);
            }
        }

        void PartsOf(string name, StringValues values)
        {
            Part(name);
            Part(values.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var value in values)
            {
                Part(value);
            }
        }

        // Of Accept only what changes the body counts (CSV or not), so clients that send different Accept headers share tags.
        var accept = request.Headers.Accept.ToString();
        // Documents: a key that may read internal ones gets another body than anyone else (ADR 0038).
        if (SeesInternalDocuments(request.HttpContext))
        {
            Part("internal");
        }
        Part(request.HttpContext.Features.Get<Representation>()?.Language?.ToString());
        Part(accept.Contains(Formats.Csv.MediaType, StringComparison.OrdinalIgnoreCase) ? accept : "json");
        return Hash(key);
    }

    [ThreadStatic]
    private static StringBuilder? t_key;

    /// <summary>The first 15 bytes of the key's SHA-256 (of its UTF-8) in URL-safe base64: 20 characters.</summary>
    private static string Hash(StringBuilder key)
    {
        var chars = System.Buffers.ArrayPool<char>.Shared.Rent(key.Length);
        var utf8 = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(key.Length));
        try
        {
            key.CopyTo(0, chars, 0, key.Length);
            var length = Encoding.UTF8.GetBytes(chars, 0, key.Length, utf8, 0);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8.AsSpan(0, length), hash);
            Span<char> tag = stackalloc char[20];
            Convert.TryToBase64Chars(hash[..15], tag, out _);
            for (var i = 0; i < tag.Length; i++)
            {
                tag[i] = tag[i] switch { '+' => '-', '/' => '_', var c => c };
            }

            return new string(tag);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(chars);
            System.Buffers.ArrayPool<byte>.Shared.Return(utf8);
        }
    }
}
