using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LinkJ.Api.IntegrationTests.Webhooks;

/// <summary>One request a receiver got: its Standard Webhooks headers, body and when it came.</summary>
public sealed record ReceivedWebhook(string Path, string MessageId, string Timestamp, string Signature, string Body, HeaderDictionary Headers, DateTimeOffset At);

/// <summary>What a receiver answers.</summary>
public sealed record ReceiverAnswer(int Status, TimeSpan Delay = default, string? RetryAfter = null, string Body = "ok");

/// <summary>
/// A real webhook receiver: Kestrel on 127.0.0.1 (a free port), recording every request, answering what the test says
/// (<see cref="Answer"/>, per request). Traffic stays on loopback.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Decides each answer; 200 by default.</summary>
    public Func<ReceivedWebhook, ReceiverAnswer> Answer { get; set; } = _ => new(200);

    /// <summary>The most requests one path had in flight at once.</summary>
    public ConcurrentDictionary<string, int> MaxInFlightByPath { get; } = new();

    private readonly ConcurrentDictionary<string, int> _inFlightByPath = new();

    public int InFlight => _inFlight;

    public int MaxInFlight => _maxInFlight;

    private int _inFlight;
    private int _maxInFlight;

    public string BaseUrl { get; }

    private WebhookReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string UrlFor(string name = "hook") => $"{BaseUrl}/{name}";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/{name}", async (HttpContext context, string name) =>
        {
            var concurrent = Interlocked.Increment(ref receiver!._inFlight);
            InterlockedMax(ref receiver._maxInFlight, concurrent);
            var onPath = receiver._inFlightByPath.AddOrUpdate(name, 1, (_, n) => n + 1);
            receiver.MaxInFlightByPath.AddOrUpdate(name, onPath, (_, n) => Math.Max(n, onPath));
            try
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var headers = new HeaderDictionary();
                foreach (var header in context.Request.Headers)
                {
                    headers[header.Key] = header.Value;
                }

                var received = new ReceivedWebhook("/" + name, context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(),
                    context.Request.Headers["webhook-signature"].ToString(), body, headers, DateTimeOffset.UtcNow);
                receiver.Received.Enqueue(received);
                var answer = receiver.Answer(received);
                if (answer.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(answer.Delay, context.RequestAborted);
                }

                context.Response.StatusCode = answer.Status;
                if (answer.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = answer.RetryAfter;
                }

                await context.Response.WriteAsync(answer.Body);
            }
            finally
            {
                receiver._inFlightByPath.AddOrUpdate(name, 0, (_, n) => n - 1);
                Interlocked.Decrement(ref receiver._inFlight);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("No server.");
        receiver = new WebhookReceiver(app, address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for what was received, or fails after <paramref name="seconds"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition([.. Received]))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}. Received {Received.Count}: {string.Join(" | ", Received.Select(r => r.Body.Length > 120 ? r.Body[..120] : r.Body))}");
            await Task.Delay(25);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
