using Mediator;

namespace LinkJ.Application.Changes.Queries.ListChanges;

public sealed class ListChangesHandler(IChangeQueries changes) : IQueryHandler<ListChangesQuery, ChangePageDto>
{
    public async ValueTask<ChangePageDto> Handle(ListChangesQuery query, CancellationToken cancellationToken)
    {
        var (after, limit) = (query.After, query.Limit);

        // Only sequenced changes have a position (ADR 0030): one committed but not yet numbered comes after every position
        // a reader has seen, so it is read later, never skipped.
        var rows = await changes.AfterAsync(after, limit + 1, cancellationToken);

        var items = rows.Take(limit).Select(c => new ChangeDto
        {
            Cursor = Encode(c.Position),
            ResourceType = c.ResourceType,
            ResourceId = c.ResourceId,
            Operation = c.Operation,
            Version = c.Version,
            OccurredAt = c.OccurredAt,
        }).ToList();

        return new ChangePageDto(items, items.Count > 0 ? items[^1].Cursor : Encode(after), rows.Count > limit);
    }

    private static string Encode(long position) => ListChangesQuery.CursorOf(position);
}
