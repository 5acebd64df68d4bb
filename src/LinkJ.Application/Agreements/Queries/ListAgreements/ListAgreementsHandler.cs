using System.Globalization;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

/// <summary>A page of agreements: the request turned into criteria, read by <see cref="IAgreementQueries"/>, the next cursor made from its last row.</summary>
public sealed class ListAgreementsHandler(IAgreementQueries agreements, IPartnerQueries partners, ILanguageContext language, IClock clock)
    : IQueryHandler<ListAgreementsQuery, Page<AgreementDto>>
{
    public async ValueTask<Page<AgreementDto>> Handle(ListAgreementsQuery query, CancellationToken cancellationToken)
    {
        var criteria = new AgreementCriteria
        {
            PartnerId = query.PartnerIdOrSlug is null
                ? null
                : await partners.FindIdAsync(query.PartnerIdOrSlug, liveOnly: true, cancellationToken) ?? throw new DomainException(PartnerErrors.NotFound),
            Country = query.Country is null ? null : CountryCode.Create(query.Country).Value,
            PartnerKind = query.PartnerKind,
            Status = query.Status,
            Scope = query.Scope,
            SignedFrom = Latest(PartialDate.TryParse(query.SignedFrom, out var from) ? from.Earliest : null, query.Year is { } first ? new DateOnly(first, 1, 1) : null),
            SignedTo = Earliest(PartialDate.TryParse(query.SignedTo, out var to) ? to.Latest : null, query.Year is { } last ? new DateOnly(last, 12, 31) : null),
            Ending = CalendarPeriod.TryParse(query.ExpiringWithin, out var within) ? Expiry.Window(clock.TodayInJapan, within) : null,
            Search = query.Q is null ? null : Search.Normalize(query.Q),
            Sort = query.Sort ?? ListAgreementsQuery.Sorts[0],
            // Keyset paging: the page starts after the last row of the previous one, so its cost does not grow with depth.
            After = Cursor.TryDecode(query.Cursor, query.CursorKind, 2, out var keys) ? new PageKey(keys[0], long.Parse(keys[1], CultureInfo.InvariantCulture)) : null,
            Limit = query.Limit ?? PageLimits.Default,
        };

        var slice = await agreements.ListAsync(criteria, language.Language, cancellationToken);
        return new Page<AgreementDto>(slice.Items, slice.Next is { } next ? Cursor.Encode(query.CursorKind, next.Key, next.Seq.ToString(CultureInfo.InvariantCulture)) : null);
    }

    private static DateOnly? Latest(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateOnly? Earliest(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
