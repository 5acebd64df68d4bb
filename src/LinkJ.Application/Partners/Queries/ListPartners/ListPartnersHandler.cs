using System.Globalization;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;
using Mediator;

namespace LinkJ.Application.Partners.Queries.ListPartners;

/// <summary>A page of partners: the request turned into criteria, read by <see cref="IPartnerQueries"/>, the next cursor made from its last row.</summary>
public sealed class ListPartnersHandler(IPartnerQueries partners, ILanguageContext language) : IQueryHandler<ListPartnersQuery, Page<PartnerDto>>
{
    public async ValueTask<Page<PartnerDto>> Handle(ListPartnersQuery query, CancellationToken cancellationToken)
    {
        var criteria = new PartnerCriteria
        {
            Country = query.Country is null ? null : CountryCode.Create(query.Country).Value,
            Kind = query.Kind,
            Search = query.Q is null ? null : Search.Normalize(query.Q),
            Sort = query.Sort ?? ListPartnersQuery.Sorts[0],
            After = Cursor.TryDecode(query.Cursor, query.CursorKind, 2, out var keys) ? new PageKey(keys[0], long.Parse(keys[1], CultureInfo.InvariantCulture)) : null,
            Limit = query.Limit ?? PageLimits.Default,
        };

        var slice = await partners.ListAsync(criteria, language.Language, cancellationToken);
        return new Page<PartnerDto>(slice.Items, slice.Next is { } next ? Cursor.Encode(query.CursorKind, next.Key, next.Seq.ToString(CultureInfo.InvariantCulture)) : null);
    }
}
