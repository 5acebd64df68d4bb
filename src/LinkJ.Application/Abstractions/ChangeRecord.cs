namespace LinkJ.Application.Abstractions;

/// <summary>
/// One committed change of a partner or agreement, written in the same transaction as the change itself (an outbox).
/// Its <see cref="Position"/> in the feed is handed out after that transaction has committed, by a short transaction
/// that numbers every committed change still without one (ADR 0030), so a reader that follows positions never misses
/// a change.
/// </summary>
public sealed class ChangeRecord
{
    /// <summary>The order in which change records were written (a sequence, taken when the record is inserted): a change
    /// that could depend on another (same resource, or written after the other committed) has a higher one.</summary>
    public long Seq { get; init; }

    /// <summary>The change's place in the feed; null until the change is sequenced, right after its commit.</summary>
    public long? Position { get; init; }

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

    /// <summary>
    /// The webhook event the change is sent as (<c>agreement.activated</c>, …), named when the change is written, from the
    /// resource as the change left it: a later change cannot rename it (ADR 0035). Null on rows written before it existed.
    /// </summary>
    public string? EventType { get; init; }
}
