using System.Diagnostics;
using System.Net;
using System.Runtime;
using Microsoft.AspNetCore.Http.Features;
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

/// <summary>Whether the warm-up is over (finished, failed or timed out): until then <c>/health/ready</c> answers 503
/// (<see cref="Endpoints.HealthEndpoints"/>; not a health check, whose every Unhealthy answer is logged as an Error: ADR 0058).</summary>
public sealed class WarmUpState
{
    private readonly TaskCompletionSource _over = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Over => _over.Task;

    public bool IsOver => _over.Task.IsCompleted;

    public void End() => _over.TrySetResult();
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
/// every path, the pool's first connections and the first statements (ADR 0052). Read-only and anonymous. Whatever
/// happens, it ends <see cref="WarmUpState"/>: a failure or a timeout is a warning in the log and the service becomes
/// ready all the same, as it did before there was a warm-up.
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
                var answered = await ReadAsync(bounded.Token);
                LogWarmedUp(logger, clock.ElapsedMilliseconds, answered, opened,
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

    /// <summary>Each read in both languages, one at a time; returns how many answered 2xx.</summary>
    private async Task<int> ReadAsync(CancellationToken cancellationToken)
    {
        var run = pipeline.Pipeline ?? throw new InvalidOperationException("The request pipeline was not captured (UseWarmUpCapture).");
        string? id = null, partner = null;
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
                var (status, body) = await SendAsync(run, target, language, cancellationToken);
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
            }
        }

        return answered;
    }

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

    /// <summary>One GET through the pipeline, as the server would run it, marked as the warm-up's.</summary>
    private async Task<(int Status, byte[] Body)> SendAsync(RequestDelegate run, string target, string language, CancellationToken cancellationToken)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var request = new HttpRequestFeature
        {
            Method = HttpMethods.Get,
            Scheme = "http",
            Protocol = "HTTP/1.1",
            Path = query < 0 ? target : target[..query],
            QueryString = query < 0 ? string.Empty : target[query..],
            RawTarget = target,
        };
        request.Headers.Host = "localhost";
        request.Headers.AcceptLanguage = language;
        request.Headers.Accept = "application/json";
        using var body = new MemoryStream();
        var response = new WarmUpResponse(body);
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
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
            await run(context);
            await response.CompleteAsync();
        }
        finally
        {
            contexts.Dispose(context);
        }

        return (context.Response.StatusCode, body.ToArray());
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
        Message = "Warmed up in {ElapsedMs} ms: {Answered} reads answered, {Connections} pool connections opened, JIT {JitMs} ms for {JitMethods} methods.")]
    private static partial void LogWarmedUp(ILogger logger, long elapsedMs, int answered, int connections, long jitMs, long jitMethods);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up's read {Target} answered {StatusCode}.")]
    private static partial void LogUnexpected(ILogger logger, string target, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up did not end within {TimeoutSeconds} s; ready without it.")]
    private static partial void LogTimedOut(ILogger logger, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up failed after {ElapsedMs} ms; ready without it.")]
    private static partial void LogFailed(ILogger logger, Exception exception, long elapsedMs);
}
