namespace LinkJ.Application.Common.Paging;

/// <summary>
/// What a query service reads for a page: its items, and the sort keys of the last one when more follow (the use case
/// turns them into the page's <c>next</c> cursor).
/// </summary>
/// <param name="Items">The page's items, at most the page size.</param>
/// <param name="Next">The last item's keys when there is a next page; null on the last page.</param>
public sealed record Slice<T>(IReadOnlyList<T> Items, PageKey? Next);

/// <summary>A row's place in a keyset-paged list: its sort key (a date as YYYY-MM-DD, or a name) and its insertion sequence.</summary>
/// <param name="Key">The sort key as the cursor carries it.</param>
/// <param name="Seq">The insertion sequence, which breaks ties.</param>
public sealed record PageKey(string Key, long Seq);
