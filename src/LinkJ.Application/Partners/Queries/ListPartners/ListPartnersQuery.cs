using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Application.Partners.Queries.ListPartners;

/// <summary>LINK-J's partners, filtered, searched, sorted and paged (by default in the order the partnerships began).</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. JP.</param>
/// <param name="Kind">Partner kind, e.g. local-government.</param>
/// <param name="Limit">Page size, 1 to 100.</param>
/// <param name="Cursor">The <c>next</c> cursor of the previous page.</param>
/// <param name="Q">Text to find in the names, short name or former names (any language, case and width).</param>
/// <param name="Sort">since (default: partnership order), name or -name (in the negotiated language).</param>
public sealed record ListPartnersQuery(string? Country, string? Kind, int? Limit, string? Cursor, string? Q = null, string? Sort = null)
    : IQuery<Page<PartnerDto>>
{
    public static readonly IReadOnlyList<string> Sorts = ["since", "name", "-name"];

    /// <summary>A cursor belongs to one list and one sort order.</summary>
    public string CursorKind => "partners" + (Sort ?? Sorts[0]);
}
