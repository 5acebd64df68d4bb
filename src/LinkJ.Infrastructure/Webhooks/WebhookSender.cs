using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using StandardWebhooks;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>How one attempt went.</summary>
/// <param name="Status">The receiver's HTTP status; null when none came (timeout, connection failure, refused address).</param>
/// <param name="Body">The first bytes of the response (at most <see cref="WebhookOptions.MaxResponseBytes"/>).</param>
/// <param name="Error">What went wrong without an HTTP status.</param>
/// <param name="RetryAfter">A 429's or 503's Retry-After.</param>
/// <param name="Refused">The address is one deliveries may not go to (SSRF): not retried.</param>
public sealed record WebhookAttemptResult(int? Status, string? Body, string? Error, TimeSpan? RetryAfter, bool Refused)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>Timeouts, connection errors, 429 and 5xx are retried; other answers (2xx, other 4xx, 3xx) and refusals are final.</summary>
    public bool Retryable => !Refused && (Status is null or 429 or >= 500);
}

/// <summary>
/// Sends one signed attempt (Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>)
/// through the <c>linkj-webhooks</c> client: no redirects, no proxy, the resolved address checked in the connection
/// callback (SSRF), a timeout from Microsoft.Extensions.Http.Resilience, and at most a capped part of the response read.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "linkj-webhooks";

    public async Task<WebhookAttemptResult> SendAsync(string url, string messageId, string payload, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("webhook-id", messageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        // Space-separated signatures: during a rotation's overlap both secrets sign, and a receiver with either verifies.
        request.Headers.TryAddWithoutValidation("webhook-signature", string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, payload))));
        request.Headers.UserAgent.ParseAdd("LinkJ-Webhooks/1");

        try
        {
            using var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await ReadCappedAsync(response, cancellationToken);
            return new((int)response.StatusCode, body, null, RetryAfterOf(response), false);
        }
        catch (HttpRequestException exception) when (FindRefusal(exception) is { } refusal)
        {
            return new(null, null, refusal.Message, null, true);
        }
        catch (TimeoutRejectedException)
        {
            return new(null, null, $"No answer within {options.Value.Timeout.TotalSeconds:0.#} s.", null, false);
        }
        catch (HttpRequestException exception)
        {
            return new(null, null, "Connection failed: " + exception.Message, null, false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, null, $"No answer within {options.Value.Timeout.TotalSeconds:0.#} s.", null, false);
        }
        catch (IOException exception)
        {
            return new(null, null, "Connection failed: " + exception.Message, null, false);
        }
    }

    private async Task<string?> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var cap = Math.Max(0, options.Value.MaxResponseBytes);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[cap];
        var read = 0;
        try
        {
            while (read < cap)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read, cap - read), cancellationToken);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (IOException)
        {
            // The status line and headers decided; a body cut short changes nothing.
        }

        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w && w > TimeSpan.Zero ? w : null;
    }

    private static WebhookTargetRefusedException? FindRefusal(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebhookTargetRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
