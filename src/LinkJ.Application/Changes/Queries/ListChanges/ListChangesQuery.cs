using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Application.Changes.Queries.ListChanges;

/// <summary>The changes committed after a feed position, in commit order; parsed once at the edge by <see cref="Parse"/> (ADR 0050).</summary>
/// <param name="After">The feed position read up to (0: from the beginning).</param>
/// <param name="Limit">How many changes at most, 1 to <see cref="MaxLimit"/>.</param>
public sealed record ListChangesQuery(long After, int Limit) : IQuery<ChangePageDto>
{
    public const string CursorKind = "changes";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// The query for <paramref name="after"/> (the <c>next</c>, or an item's <c>cursor</c>, of an earlier read; null to
    /// start from the beginning) and <paramref name="limit"/>, checked and parsed in one pass; every failure is one 400.
    /// </summary>
    public static ListChangesQuery Parse(string? after, int? limit)
    {
        var parse = new WireParse([]);
        if (limit is < 1 or > MaxLimit)
        {
            parse.Fail("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        var position = parse.Position("after", after, CursorKind);
        return parse.Result(() => new ListChangesQuery(position ?? 0, limit ?? DefaultLimit));
    }

    /// <summary>The cursor of feed position <paramref name="position"/>.</summary>
    public static string CursorOf(long position) => Cursor.Encode(CursorKind, position.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
