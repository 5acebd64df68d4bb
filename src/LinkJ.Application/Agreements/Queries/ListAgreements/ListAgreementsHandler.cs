using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

/// <summary>A page of agreements: the parsed request turned into criteria, read by <see cref="IAgreementQueries"/>, the next cursor made from its last row.</summary>
public sealed class ListAgreementsHandler(IAgreementQueries agreements, IPartnerQueries partners, ILanguageContext language, IClock clock)
    : IQueryHandler<ListAgreementsQuery, Page<AgreementDto>>
{
    public async ValueTask<Page<AgreementDto>> Handle(ListAgreementsQuery query, CancellationToken cancellationToken)
    {
        var criteria = new AgreementCriteria
        {
            PartnerId = query.Partner is null
                ? null
                : await partners.FindIdAsync(query.Partner, liveOnly: true, cancellationToken) ?? throw new DomainException(PartnerErrors.NotFound),
            Country = query.Country,
            PartnerKind = query.PartnerKind,
            Status = query.Status,
            Scope = query.Scope,
            SignedFrom = Latest(query.SignedFrom?.Earliest, query.Year is { } first ? new DateOnly(first, 1, 1) : null),
            SignedTo = Earliest(query.SignedTo?.Latest, query.Year is { } last ? new DateOnly(last, 12, 31) : null),
            Ending = query.ExpiringWithin is { } within ? Expiry.Window(clock.TodayInJapan, within) : null,
            Search = query.Q,
            Sort = query.Sort,
            // Keyset paging: the page starts after the last row of the previous one, so its cost does not grow with depth.
            After = query.After,
            Limit = query.Limit,
        };

        var slice = await agreements.ListAsync(criteria, language.Language, cancellationToken);
        return new Page<AgreementDto>(slice.Items, slice.Next?.ToCursor(query.CursorKind));
    }

    private static DateOnly? Latest(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateOnly? Earliest(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
