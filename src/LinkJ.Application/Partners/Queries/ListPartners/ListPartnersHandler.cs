using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Application.Partners.Queries.ListPartners;

/// <summary>A page of partners: the parsed request turned into criteria, read by <see cref="IPartnerQueries"/>, the next cursor made from its last row.</summary>
public sealed class ListPartnersHandler(IPartnerQueries partners, ILanguageContext language) : IQueryHandler<ListPartnersQuery, Page<PartnerDto>>
{
    public async ValueTask<Page<PartnerDto>> Handle(ListPartnersQuery query, CancellationToken cancellationToken)
    {
        var criteria = new PartnerCriteria
        {
            Country = query.Country,
            Kind = query.Kind,
            Search = query.Q,
            Sort = query.Sort,
            After = query.After,
            Limit = query.Limit,
        };

        var slice = await partners.ListAsync(criteria, language.Language, cancellationToken);
        return new Page<PartnerDto>(slice.Items, slice.Next?.ToCursor(query.CursorKind));
    }
}
