namespace LinkJ.Infrastructure.Idempotency;

/// <summary>
/// A POST made with an <c>Idempotency-Key</c>: which client sent which key for which request, and the response it got,
/// so that a retry gets the same response instead of a second resource.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The API key that sent it: keys are scoped to their client.</summary>
    public required string Owner { get; init; }

    public required string Key { get; init; }

    /// <summary>SHA-256 of the method, path and body: the same key with another request is refused.</summary>
    public required byte[] RequestHash { get; init; }

    public int StatusCode { get; init; }

    public string? Body { get; init; }

    public string? Location { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
