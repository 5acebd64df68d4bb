namespace LinkJ.Application.Changes;

/// <summary>A change of a partner or agreement in the feed.</summary>
public sealed record ChangeDto
{
    /// <summary>Where this change stands in the feed: pass it as <c>after</c> to read what follows.</summary>
    public required string Cursor { get; init; }

    /// <summary><c>partner</c> or <c>agreement</c>.</summary>
    public required string ResourceType { get; init; }

    public required Guid ResourceId { get; init; }

    /// <summary><c>created</c>, <c>updated</c> or <c>deleted</c> (a tombstone: the resource is gone from reads).</summary>
    public required string Operation { get; init; }

    /// <summary>The resource's version after the change (its ETag is derived from it).</summary>
    public required int Version { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>A slice of the change feed.</summary>
/// <param name="Items">Changes in commit order.</param>
/// <param name="Next">The cursor to continue from; never null (with no new changes it is the one you sent).</param>
/// <param name="HasMore">True when more changes are already waiting after <paramref name="Next"/>.</param>
public sealed record ChangePageDto(IReadOnlyList<ChangeDto> Items, string Next, bool HasMore);

/// <summary>One entry of a resource's history.</summary>
/// <param name="Version">The version the change produced.</param>
/// <param name="Operation">created, updated or deleted.</param>
/// <param name="OccurredAt">When it was committed.</param>
/// <param name="Actor">Who made it: the API key's name, or system.</param>
/// <param name="ChangedFields">The fields it touched.</param>
public sealed record HistoryEntryDto(int Version, string Operation, DateTimeOffset OccurredAt, string Actor, IReadOnlyList<string> ChangedFields);
