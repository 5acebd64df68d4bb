using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Application.Partners.Queries.ListPartners;

/// <summary>LINK-J's partners in the order the partnerships began, filtered and paged.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. JP.</param>
/// <param name="Kind">Partner kind, e.g. local-government.</param>
/// <param name="Limit">Page size, 1 to 100.</param>
/// <param name="Cursor">The <c>next</c> cursor of the previous page.</param>
public sealed record ListPartnersQuery(string? Country, string? Kind, int? Limit, string? Cursor) : IQuery<Page<PartnerDto>>
{
    public const string CursorKind = "partners";
}
