using Mediator;

namespace LinkJ.Application.Changes.Queries.GetHistory;

/// <summary>Who changed what and when, for one partner or agreement, oldest first.</summary>
/// <param name="ResourceType">partner or agreement.</param>
/// <param name="IdOrSlug">The agreement id, or the partner id or slug.</param>
public sealed record GetHistoryQuery(string ResourceType, string IdOrSlug) : IQuery<IReadOnlyList<HistoryEntryDto>>
{
    public const string Partner = "partner";
    public const string Agreement = "agreement";
}
