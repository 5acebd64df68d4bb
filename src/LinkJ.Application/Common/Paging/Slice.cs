using System.Globalization;

namespace LinkJ.Application.Common.Paging;

/// <summary>
/// What a query service reads for a page: its items, and the sort keys of the last one when more follow (the use case
/// turns them into the page's <c>next</c> cursor).
/// </summary>
/// <param name="Items">The page's items, at most the page size.</param>
/// <param name="Next">The last item's keys when there is a next page; null on the last page.</param>
public sealed record Slice<T>(IReadOnlyList<T> Items, PageKey? Next);

/// <summary>
/// A row's place in a keyset-paged list, typed (ADR 0050): its sort key, the signing <paramref name="Day"/> or the
/// <paramref name="Name"/> for the lists sorted by them (neither for a list in insertion order), and its insertion
/// sequence, which breaks ties. A cursor is parsed into one once, at the edge (<see cref="WireParse.PageKey"/>).
/// </summary>
/// <param name="Seq">The insertion sequence.</param>
/// <param name="Day">The signing day, for the lists sorted by it.</param>
/// <param name="Name">The name, for the lists sorted by it.</param>
public sealed record PageKey(long Seq, DateOnly? Day = null, string? Name = null)
{
    /// <summary>The sort key as the cursor carries it: the day as YYYY-MM-DD, the name, or empty.</summary>
    public string SortKey => Day is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Name ?? string.Empty;

    /// <summary>The cursor of list <paramref name="kind"/> that starts after this row.</summary>
    public string ToCursor(string kind) => Cursor.Encode(kind, SortKey, Seq.ToString(CultureInfo.InvariantCulture));
}

/// <summary>What a list's cursor's sort key is.</summary>
public enum PageKeyKind
{
    /// <summary>A day, YYYY-MM-DD (the agreements in signing order).</summary>
    Day,

    /// <summary>A name (the lists by name).</summary>
    Name,

    /// <summary>Nothing but the sequence (the partners in partnership order).</summary>
    Sequence,
}
