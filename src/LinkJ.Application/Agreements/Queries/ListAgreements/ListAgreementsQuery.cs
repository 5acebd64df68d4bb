using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

/// <summary>Agreements, filtered, searched, sorted and paged (by default in signing order, same-month ones in the source's order).</summary>
/// <param name="Country">The partner's ISO 3166-1 alpha-2 country code.</param>
/// <param name="PartnerKind">The partner's kind, e.g. local-government.</param>
/// <param name="Scope">A cooperation scope code the agreement must include.</param>
/// <param name="Status">draft, active, expired or terminated.</param>
/// <param name="SignedFrom">Signed on or after: YYYY-MM or YYYY-MM-DD.</param>
/// <param name="SignedTo">Signed on or before: YYYY-MM (the whole month) or YYYY-MM-DD.</param>
/// <param name="PartnerIdOrSlug">Only this partner's agreements.</param>
/// <param name="Limit">Page size, 1 to 100.</param>
/// <param name="Cursor">The <c>next</c> cursor of the previous page.</param>
/// <param name="Q">Text to find in the agreement's title or its partner's names (any language, case and width).</param>
/// <param name="Year">Signed in this year.</param>
/// <param name="Sort">signedOn (default), -signedOn (newest first), name or -name (the partner's name in the negotiated language).</param>
/// <param name="ExpiringWithin">Only agreements in force whose last day falls between today (Japan) and today + this ISO 8601 duration.</param>
public sealed record ListAgreementsQuery(
    string? Country = null,
    string? PartnerKind = null,
    string? Scope = null,
    string? Status = null,
    string? SignedFrom = null,
    string? SignedTo = null,
    string? PartnerIdOrSlug = null,
    int? Limit = null,
    string? Cursor = null,
    string? Q = null,
    int? Year = null,
    string? Sort = null,
    string? ExpiringWithin = null) : IQuery<Page<AgreementDto>>
{
    public static readonly IReadOnlyList<string> Sorts = ["signedOn", "-signedOn", "name", "-name"];

    /// <summary>A cursor belongs to one list and one sort order.</summary>
    public string CursorKind => "agreements" + (Sort ?? Sorts[0]);
}
