using Mediator;

namespace LinkJ.Application.Changes.Queries.ListChanges;

/// <summary>The changes committed after a cursor, in commit order.</summary>
/// <param name="After">The <c>next</c> (or an item's <c>cursor</c>) of an earlier read; omit to start from the beginning.</param>
/// <param name="Limit">How many changes at most, 1 to 1000.</param>
public sealed record ListChangesQuery(string? After, int? Limit) : IQuery<ChangePageDto>
{
    public const string CursorKind = "changes";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
