using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinkJ.Api.Errors;
using LinkJ.Application.Abstractions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LinkJ.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on a POST: the first request with a key runs and its response is kept (at least 24 h); a
/// retry with the same key and the same request gets that response again (<c>Idempotent-Replayed: true</c>) and
/// creates nothing; the same key with another request gets 422; a request that comes while another with its key is
/// still running gets 409 with Retry-After at once. Keys belong to the API key that sent them.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyContext idempotency, IOptions<JsonOptions> json) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "idempotency.invalid-key",
                $"{HeaderName} is 1 to {MaxKeyLength} visible ASCII characters, e.g. a UUID.");
        }

        var owner = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        // The command's unit of work claims the key, runs, and stores its result with the key (ADR 0032).
        var status = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IdempotencyKeyMetadata>()?.SuccessStatus ?? StatusCodes.Status201Created;
        var hash = http.GetEndpoint()?.Metadata.GetMetadata<RawBodyMetadata>() is null ? RequestHash(context) : await RawRequestHashAsync(http.Request, http.RequestAborted);
        idempotency.Request = new IdempotentRequest(owner, key, hash, status);
        try
        {
            var result = await next(context);
            if (idempotency.Replayed)
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
            }

            return result;
        }
        catch (IdempotencyKeyException exception) when (exception.InProgress)
        {
            // Not an exception: the exception handler would clear Retry-After.
            http.Response.Headers.RetryAfter = "1";
            await http.WriteProblemAsync(StatusCodes.Status409Conflict, "idempotency.in-progress", "A request with this Idempotency-Key is in progress.",
                $"Another request with this {HeaderName} is still being processed; retry it when that one has been answered, to get its response.");
            return Results.Empty;
        }
        catch (IdempotencyKeyException)
        {
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "idempotency.key-reused",
                $"This {HeaderName} was used for a different request; use a new key for a new request.");
        }
    }

    /// <summary>
    /// A request whose endpoint reads the body itself (an import): method, path, query (dryRun, mode, source change
    /// what it does) and the body's bytes, hashed as they stream past. The body is buffered (to a temporary file beyond
    /// 64 KiB, never in one string) so that the endpoint then reads it from the start.
    /// </summary>
    private static async Task<byte[]> RawRequestHashAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: Formats.ImportReader.MaxBodyBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(request.Method + " " + request.Path + request.QueryString + "\n" + request.ContentType + "\n"));
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    /// <summary>The request as the endpoint sees it: method, path and the bound body, so equal requests hash alike.</summary>
    private byte[] RequestHash(EndpointFilterInvocationContext context)
    {
        var request = context.HttpContext.Request;
        var bodies = context.Arguments.Where(a => a?.GetType().Namespace?.StartsWith("LinkJ.Application", StringComparison.Ordinal) == true);
        var text = request.Method + " " + request.Path + "\n" + string.Join("\n", bodies.Select(b => JsonSerializer.Serialize(b, b!.GetType(), json.Value.SerializerOptions)));
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>Marks an operation that takes <c>Idempotency-Key</c>, for its documentation, with the status it answers on success.</summary>
public sealed record IdempotencyKeyMetadata(int SuccessStatus = StatusCodes.Status201Created);

/// <summary>Marks an operation that reads its body itself (an import): its Idempotency-Key hashes the body's bytes.</summary>
public sealed record RawBodyMetadata;

public static class IdempotencyEndpoints
{
    /// <summary>Lets the POST be retried safely with an <c>Idempotency-Key</c>.</summary>
    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder builder, int successStatus = StatusCodes.Status201Created) =>
        builder.AddEndpointFilter<IdempotencyFilter>().WithMetadata(new IdempotencyKeyMetadata(successStatus));
}
