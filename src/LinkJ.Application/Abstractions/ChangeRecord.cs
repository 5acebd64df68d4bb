namespace LinkJ.Application.Abstractions;

/// <summary>
/// One committed change of a partner or agreement, written in the same transaction as the change itself (an outbox).
/// <see cref="Position"/>s are handed out in commit order, so a reader that follows them never misses a change.
/// </summary>
public sealed class ChangeRecord
{
    public long Position { get; init; }

    /// <summary><c>partner</c> or <c>agreement</c>.</summary>
    public required string ResourceType { get; init; }

    public Guid ResourceId { get; init; }

    /// <summary>The resource's version after the change.</summary>
    public int Version { get; init; }

    /// <summary><c>created</c>, <c>updated</c> or <c>deleted</c>.</summary>
    public required string Operation { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Who made the change (the API key's name, or system).</summary>
    public required string Actor { get; init; }

    /// <summary>The fields the change touched, as named on the wire.</summary>
    public required string[] ChangedFields { get; init; }
}
