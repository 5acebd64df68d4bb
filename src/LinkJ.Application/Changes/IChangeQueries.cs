namespace LinkJ.Application.Changes;

/// <summary>The change feed and the histories, read straight into their wire form (ADR 0031).</summary>
public interface IChangeQueries
{
    /// <summary>Whether an agreement with this id was ever stored (deleted ones still have a history).</summary>
    Task<bool> AgreementExistsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>One resource's changes in the order they were written.</summary>
    Task<IReadOnlyList<HistoryEntryDto>> HistoryAsync(string resourceType, Guid resourceId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> sequenced changes after feed position <paramref name="after"/>, by position.</summary>
    Task<IReadOnlyList<FeedEntry>> AfterAsync(long after, int take, CancellationToken cancellationToken);
}

/// <summary>A change at its place in the feed.</summary>
public sealed record FeedEntry(long Position, string ResourceType, Guid ResourceId, string Operation, int Version, DateTimeOffset OccurredAt);
