using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

/// <summary>Agreements in signing order (same-month agreements in the source's order), filtered and paged.</summary>
/// <param name="Country">The partner's ISO 3166-1 alpha-2 country code.</param>
/// <param name="PartnerKind">The partner's kind, e.g. local-government.</param>
/// <param name="Scope">A cooperation scope code the agreement must include.</param>
/// <param name="Status">draft, active, expired or terminated.</param>
/// <param name="SignedFrom">Signed on or after: YYYY-MM or YYYY-MM-DD.</param>
/// <param name="SignedTo">Signed on or before: YYYY-MM (the whole month) or YYYY-MM-DD.</param>
/// <param name="PartnerIdOrSlug">Only this partner's agreements.</param>
/// <param name="Limit">Page size, 1 to 100.</param>
/// <param name="Cursor">The <c>next</c> cursor of the previous page.</param>
public sealed record ListAgreementsQuery(
    string? Country = null,
    string? PartnerKind = null,
    string? Scope = null,
    string? Status = null,
    string? SignedFrom = null,
    string? SignedTo = null,
    string? PartnerIdOrSlug = null,
    int? Limit = null,
    string? Cursor = null) : IQuery<Page<AgreementDto>>
{
    public const string CursorKind = "agreements";
}
