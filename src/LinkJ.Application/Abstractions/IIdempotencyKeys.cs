namespace LinkJ.Application.Abstractions;

/// <summary>
/// A request that came with an Idempotency-Key: whose key, the key, a hash of the request, and the status its
/// operation answers with on success (recorded with the key, for operators and audits).
/// </summary>
public sealed record IdempotentRequest(string Owner, string Key, byte[] RequestHash, int SuccessStatus);

/// <summary>
/// The current request's Idempotency-Key, set at the edge (the Api's filter) before the command is sent, and whether
/// the command's response was a replay. Scoped: one per request.
/// </summary>
public sealed class IdempotencyContext
{
    public IdempotentRequest? Request { get; set; }

    /// <summary>True when the response is the one stored with the key by an earlier request.</summary>
    public bool Replayed { get; set; }
}

/// <summary>The store of Idempotency-Keys and the responses they answered.</summary>
public interface IIdempotencyKeys
{
    /// <summary>
    /// Claims the key in the unit of work's open transaction. Unless the claim is <see cref="IdempotencyClaim{T}.Owned"/>,
    /// the transaction has been ended.
    /// </summary>
    Task<IdempotencyClaim<T>> ClaimAsync<T>(IdempotentRequest request, CancellationToken cancellationToken);

    /// <summary>Stores the response with the owned key, in the open transaction.</summary>
    Task CompleteAsync<T>(IdempotentRequest request, T response, CancellationToken cancellationToken);
}

/// <summary>What became of a key when a request claimed it.</summary>
public abstract record IdempotencyClaim<T>
{
    /// <summary>This request owns the key: run it and store its response.</summary>
    public sealed record Owned : IdempotencyClaim<T>;

    /// <summary>An earlier request with this key and this very request completed: its response.</summary>
    public sealed record Replay(T Response) : IdempotencyClaim<T>;

    /// <summary>The key was used before for a different request.</summary>
    public sealed record Mismatch : IdempotencyClaim<T>;

    /// <summary>A request with this key is running right now (on any replica): nothing to replay yet.</summary>
    public sealed record InProgress : IdempotencyClaim<T>;
}

/// <summary>A request its Idempotency-Key cannot run: another with the key is running, or the key was used for another request.</summary>
public sealed class IdempotencyKeyException(bool inProgress)
    : Exception(inProgress ? "A request with this Idempotency-Key is in progress." : "This Idempotency-Key was used for a different request.")
{
    public bool InProgress { get; } = inProgress;
}
