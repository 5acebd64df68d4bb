using System.Diagnostics;
using System.Net;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkJ.Api.Http;

/// <summary>
/// The start-up warm-up (ADR 0052): <c>WarmUp:Enabled</c> (default true), <c>WarmUp:Timeout</c> (default 20 s),
/// <c>WarmUp:Connections</c> (pool connections opened at once before the reads, default 4, never more than the pool's
/// maximum; each stays open in the pool until Npgsql prunes it as idle).
/// </summary>
public sealed class WarmUpOptions
{
    public const string Section = "WarmUp";

    public bool Enabled { get; set; } = true;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public int Connections { get; set; } = 4;
}

/// <summary>Whether the warm-up is over (finished, failed or timed out): until then <c>/health/ready</c> answers 503.</summary>
public sealed class WarmUpState
{
    private readonly TaskCompletionSource _over = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Over => _over.Task;

    public bool IsOver => _over.Task.IsCompleted;

    public void End() => _over.TrySetResult();
}

/// <summary>Not ready while the warm-up runs: the same 503 "Unhealthy" as any failing readiness check.</summary>
public sealed class WarmUpHealthCheck(WarmUpState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsOver ? HealthCheckResult.Healthy("Warmed up.") : HealthCheckResult.Unhealthy("Warming up."));
}

/// <summary>
/// The request pipeline as the server runs it (captured by <see cref="UseWarmUpCapture"/> when the server builds it), and
/// the mark of the warm-up's own requests: a feature only code in this process can set, never a client. The request log
/// and the rate limits skip marked requests; the server's request metrics never see them (they are not server requests).
/// </summary>
public sealed class WarmUpPipeline
{
    public RequestDelegate? Pipeline { get; private set; }

    public static bool IsWarmUp(HttpContext context) => context.Features.Get<WarmUpPipeline>() is not null;

    /// <summary>Who the warm-up's writes are (ADR 0056): only what the soak's writes need, no admin.</summary>
    public static readonly AuthenticatedKey Identity = new("warm-up", "warm-up", [ApiScopes.AgreementsWrite, ApiScopes.SyncRead]);

    /// <summary>The warm-up's API key: random for each process and stored nowhere, in the service's key format so that it
    /// takes the path of any key (an unknown one); it authenticates only in a request marked as the warm-up's.</summary>
    public string Key { get; } = $"lj_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";

    /// <summary>The warm-up's identity when the request is the warm-up's and presents its key; otherwise null.</summary>
    public static AuthenticatedKey? IdentityOf(HttpContext context, string presented) =>
        context.Features.Get<WarmUpPipeline>() is { } warmUp
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(warmUp.Key))
            ? Identity
            : null;

    /// <summary>First in the pipeline: keeps the delegate of everything after it (routing, every middleware, the endpoints).</summary>
    public static IApplicationBuilder UseWarmUpCapture(IApplicationBuilder app)
    {
        var holder = app.ApplicationServices.GetRequiredService<WarmUpPipeline>();
        return app.Use(next =>
        {
            holder.Pipeline = next;
            return next;
        });
    }
}

/// <summary>
/// Runs once, after the server has started (so after migrations and seeding): opens <see cref="WarmUpOptions.Connections"/>
/// pool connections at once, then sends the public reads every client starts with through the server's own pipeline, in
/// process (no socket), in Japanese and in English, so that the first requests of real clients do not pay the JIT of
/// every path, the pool's first connections and the first statements (ADR 0052). Then, with an identity of its own
/// that no client can present, the change feed, and an agreement's create and update as the soak sends them, each
/// rehearsed: run to its commit and rolled back there (<see cref="CommandRehearsal"/>, ADR 0056), so that nothing of
/// them stays. Whatever happens, it ends <see cref="WarmUpState"/>: a failure or a timeout is a warning in the log and
/// the service becomes ready all the same, as it did before there was a warm-up.
/// </summary>
public sealed partial class StartupWarmUp(
    WarmUpPipeline pipeline, IHttpContextFactory contexts, NpgsqlDataSource dataSource, IOptions<WarmUpOptions> options,
    IHostApplicationLifetime lifetime, WarmUpState state, ILogger<StartupWarmUp> logger) : BackgroundService
{
    /// <summary>The reads, in the order a client's first session would send them; {id} is the first agreement of the list.</summary>
    private static readonly string[] Reads =
    [
        "/api/v1/agreements?limit=20",
        "/api/v1/agreements?country=JP&limit=20",
        "/api/v1/agreements/{id}",
        "/api/v1/agreements?q=univ&limit=20",
        "/api/v1/agreements?q=%E5%A4%A7%E5%AD%A6&limit=20",
        "/api/v1/partners?limit=20",
        "/api/v1/partners/{partner}/agreements",
        "/api/v1/stats",
        "/api/v1/cooperation-scopes",
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            state.End();
            return;
        }

        try
        {
            // The pipeline exists once the server has started; the host then serves probes (503 until this ends).
            await WhenStartedAsync(stoppingToken);
            var clock = Stopwatch.StartNew();
            var jitBefore = JitInfo.GetCompilationTime();
            var methodsBefore = JitInfo.GetCompiledMethodCount();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            bounded.CancelAfter(settings.Timeout);
            try
            {
                var opened = await OpenConnectionsAsync(settings.Connections, bounded.Token);
                var (answered, sample) = await ReadAsync(bounded.Token);
                var (keyedReads, rehearsed) = sample is null ? (0, 0) : await RehearseWritesAsync(sample, bounded.Token);
                LogWarmedUp(logger, clock.ElapsedMilliseconds, answered + keyedReads, rehearsed, opened,
                    (long)(JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds, JitInfo.GetCompiledMethodCount() - methodsBefore);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                LogTimedOut(logger, settings.Timeout.TotalSeconds);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception, clock.ElapsedMilliseconds);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down before or during the warm-up: nothing to warm.
        }
        finally
        {
            state.End();
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>A burst's first connections, opened at once (each a TCP connect, authentication and start-up), then back to
    /// the pool; never more than the pool may hold (ADR 0025's budget).</summary>
    private async Task<int> OpenConnectionsAsync(int wanted, CancellationToken cancellationToken)
    {
        var connections = Math.Clamp(wanted, 0, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
        var opened = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => dataSource.OpenConnectionAsync(cancellationToken).AsTask()));
        foreach (var connection in opened)
        {
            await connection.DisposeAsync();
        }

        return connections;
    }

    /// <summary>Each read in both languages, one at a time; returns how many answered 2xx, and the first agreement as read
    /// by id (the model of the writes), if there is one.</summary>
    private async Task<(int Answered, JsonObject? Sample)> ReadAsync(CancellationToken cancellationToken)
    {
        var run = Run;
        string? id = null, partner = null;
        JsonObject? sample = null;
        var answered = 0;
        foreach (var language in new[] { "ja", "en" })
        {
            foreach (var read in Reads)
            {
                if ((read.Contains("{id}", StringComparison.Ordinal) && id is null) || (read.Contains("{partner}", StringComparison.Ordinal) && partner is null))
                {
                    continue;
                }

                var target = read.Replace("{id}", id, StringComparison.Ordinal).Replace("{partner}", partner, StringComparison.Ordinal);
                var (status, body) = await SendAsync(run, HttpMethods.Get, target, language, [], null, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested(); // a read cut short by the timeout answers; the warm-up stops there
                if (status is >= 200 and < 300)
                {
                    answered++;
                }
                else
                {
                    LogUnexpected(logger, target, status);
                }

                if (id is null && body.Length > 0 && read.StartsWith("/api/v1/agreements?limit", StringComparison.Ordinal))
                {
                    (id, partner) = FirstAgreement(body);
                }
                else if (sample is null && status == StatusCodes.Status200OK && read == "/api/v1/agreements/{id}")
                {
                    sample = JsonNode.Parse(body) as JsonObject;
                }
            }
        }

        return (answered, sample);
    }

    private RequestDelegate Run => pipeline.Pipeline ?? throw new InvalidOperationException("The request pipeline was not captured (UseWarmUpCapture).");

    /// <summary>
    /// With the warm-up's key, in both languages: the change feed's first page, then an agreement's create (with an
    /// Idempotency-Key) and a merge-patch update (with If-Match) of the sample agreement, as the soak sends them. Each
    /// write is a rehearsal: every statement and trigger up to the commit, then rolled back (ADR 0056). Returns how many
    /// keyed reads answered 2xx and how many writes were rehearsed (answered 2xx).
    /// </summary>
    private async Task<(int KeyedReads, int Rehearsed)> RehearseWritesAsync(JsonObject sample, CancellationToken cancellationToken)
    {
        var run = Run;
        var id = sample["id"]!.GetValue<string>();
        var create = new JsonObject
        {
            ["partnerId"] = sample["partner"]!["id"]!.GetValue<string>(),
            ["type"] = sample["type"]!.GetValue<string>(),
            ["title"] = new JsonObject { ["ja"] = "起動時の予行", ["en"] = "Start-up rehearsal" },
            ["signedOn"] = sample["signedOn"]!.GetValue<string>(),
            ["cooperation"] = new JsonObject
            {
                ["scopes"] = new JsonArray([.. sample["cooperation"]!["scopes"]!.AsArray().Select(scope => JsonValue.Create(scope!["code"]!.GetValue<string>()))]),
                ["isOpenEnded"] = true,
            },
        }.ToJsonString();
        var ifMatch = ETags.For(sample["version"]!.GetValue<int>());
        var keyed = new KeyValuePair<string, string>(ApiKeyAuthenticationHeader, pipeline.Key);
        int keyedReads = 0, rehearsed = 0;
        foreach (var language in new[] { "ja", "en" })
        {
            var writes = new (string Method, string Target, KeyValuePair<string, string>[] Headers, string? Body)[]
            {
                (HttpMethods.Get, "/api/v1/changes?limit=100", [keyed], null),
                (HttpMethods.Post, "/api/v1/agreements",
                    [keyed, new(IdempotencyFilter.HeaderName, "warm-up-" + Guid.NewGuid().ToString("N")), new("Content-Type", "application/json")], create),
                (HttpMethods.Patch, $"/api/v1/agreements/{id}",
                    [keyed, new("If-Match", ifMatch), new("Content-Type", MergePatchBody.MediaType)],
                    new JsonObject { ["sourceNote"] = "warm-up " + Guid.NewGuid().ToString("N") }.ToJsonString()),
            };
            foreach (var (method, target, headers, body) in writes)
            {
                var (status, _) = await SendAsync(run, method, target, language, headers, body, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                if (status is < 200 or >= 300)
                {
                    LogUnexpected(logger, method + " " + target, status);
                }
                else if (method == HttpMethods.Get)
                {
                    keyedReads++;
                }
                else
                {
                    rehearsed++;
                }
            }
        }

        return (keyedReads, rehearsed);
    }

    private const string ApiKeyAuthenticationHeader = Security.ApiKeyAuthenticationHandler.HeaderName;

    private static (string? Id, string? Partner) FirstAgreement(byte[] body)
    {
        using var document = System.Text.Json.JsonDocument.Parse(body);
        if (document.RootElement.TryGetProperty("items", out var items) && items.GetArrayLength() > 0)
        {
            var first = items[0];
            var partner = first.TryGetProperty("partner", out var p) && p.TryGetProperty("slug", out var slug) ? slug.GetString() : null;
            return (first.GetProperty("id").GetString(), partner);
        }

        return (null, null);
    }

    /// <summary>One request through the pipeline, as the server would run it, marked as the warm-up's: its command, if it
    /// sends one, is a rehearsal (rolled back where it would commit).</summary>
    private async Task<(int Status, byte[] Body)> SendAsync(
        RequestDelegate run, string method, string target, string language, KeyValuePair<string, string>[] headers, string? content,
        CancellationToken cancellationToken)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var request = new HttpRequestFeature
        {
            Method = method,
            Scheme = "http",
            Protocol = "HTTP/1.1",
            Path = query < 0 ? target : target[..query],
            QueryString = query < 0 ? string.Empty : target[query..],
            RawTarget = target,
        };
        request.Headers.Host = "localhost";
        request.Headers.AcceptLanguage = language;
        request.Headers.Accept = "application/json";
        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }

        if (content is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            request.Body = new MemoryStream(bytes, writable: false);
            request.Headers.ContentLength = bytes.Length;
        }

        using var body = new MemoryStream();
        var response = new WarmUpResponse(body);
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        // A server says whether the request has a body; without it, endpoints bind no body (an empty POST).
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(content is not null));
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = "warm-up", RemoteIpAddress = IPAddress.Loopback, LocalIpAddress = IPAddress.Loopback,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set(pipeline);
        var context = contexts.Create(features);
        try
        {
            // Before anything runs in the request's scope: whatever the request writes is rolled back (ADR 0056).
            context.RequestServices.GetRequiredService<CommandRehearsal>().RollsBack = true;
            await run(context);
            await response.CompleteAsync();
        }
        finally
        {
            contexts.Dispose(context);
        }

        return (context.Response.StatusCode, body.ToArray());
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }

    /// <summary>A response that keeps the body in memory and runs the OnStarting callbacks (headers) as a server does.</summary>
    private sealed class WarmUpResponse(MemoryStream body) : HttpResponseFeature, IHttpResponseBodyFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];
        private StreamResponseBodyFeature? _writer;
        private bool _started;

        public override bool HasStarted => _started;

        public Stream Stream => Writer.Stream;

        System.IO.Pipelines.PipeWriter IHttpResponseBodyFeature.Writer => Writer.Writer;

        private StreamResponseBodyFeature Writer => _writer ??= new StreamResponseBodyFeature(new StartingStream(body, this));

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Insert(0, (callback, state));

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Insert(0, (callback, state));

        public void DisableBuffering()
        {
        }

        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            if (_started)
            {
                return;
            }

            foreach (var (callback, state) in _starting)
            {
                await callback(state);
            }

            _started = true;
        }

        public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
        {
            await StartAsync(cancellationToken);
            await Writer.SendFileAsync(path, offset, count, cancellationToken);
        }

        public async Task CompleteAsync()
        {
            await StartAsync();
            if (_writer is not null)
            {
                await _writer.CompleteAsync();
            }

            foreach (var (callback, state) in _completed)
            {
                await callback(state);
            }
        }

        /// <summary>The body stream: the first write starts the response (its OnStarting callbacks), as on a server.</summary>
        private sealed class StartingStream(MemoryStream inner, WarmUpResponse response) : Stream
        {
            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

            public override void Flush()
            {
            }

            public override Task FlushAsync(CancellationToken cancellationToken) => response.StartAsync(cancellationToken);

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count)
            {
                response.StartAsync().GetAwaiter().GetResult();
                inner.Write(buffer, offset, count);
            }

            public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                await response.StartAsync(cancellationToken);
                await inner.WriteAsync(buffer, cancellationToken);
            }

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Warmed up in {ElapsedMs} ms: {Answered} reads answered, {Rehearsed} writes rehearsed and rolled back, {Connections} pool connections opened, JIT {JitMs} ms for {JitMethods} methods.")]
    private static partial void LogWarmedUp(ILogger logger, long elapsedMs, int answered, int rehearsed, int connections, long jitMs, long jitMethods);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up's request {Target} answered {StatusCode}.")]
    private static partial void LogUnexpected(ILogger logger, string target, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up did not end within {TimeoutSeconds} s; ready without it.")]
    private static partial void LogTimedOut(ILogger logger, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up failed after {ElapsedMs} ms; ready without it.")]
    private static partial void LogFailed(ILogger logger, Exception exception, long elapsedMs);
}
