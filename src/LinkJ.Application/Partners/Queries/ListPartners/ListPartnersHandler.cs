using System.Globalization;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Partners.Queries.ListPartners;

public sealed class ListPartnersHandler(IAppDbContext db, ILanguageContext language) : IQueryHandler<ListPartnersQuery, Page<PartnerDto>>
{
    public async ValueTask<Page<PartnerDto>> Handle(ListPartnersQuery query, CancellationToken cancellationToken)
    {
        var partners = db.Partners.AsNoTracking().Where(p => p.DeletedAt == null);

        if (query.Country is not null)
        {
            var country = CountryCode.Create(query.Country);
            partners = partners.Where(p => p.Country == country);
        }

        if (WireEnum.TryParse<PartnerKind>(query.Kind, out var kind))
        {
            partners = partners.Where(p => p.Kind == kind);
        }

        if (Cursor.TryDecode(query.Cursor, ListPartnersQuery.CursorKind, 1, out var keys))
        {
            var after = long.Parse(keys[0], CultureInfo.InvariantCulture);
            partners = partners.Where(p => EF.Property<long>(p, IAppDbContext.Sequence) > after);
        }

        var limit = query.Limit ?? PageLimits.Default;
        var rows = await partners
            .OrderBy(p => EF.Property<long>(p, IAppDbContext.Sequence))
            .Select(p => new { Partner = p, Seq = EF.Property<long>(p, IAppDbContext.Sequence) })
            .Take(limit + 1)
            .ToListAsync(cancellationToken);

        var next = rows.Count > limit
            ? Cursor.Encode(ListPartnersQuery.CursorKind, rows[limit - 1].Seq.ToString(CultureInfo.InvariantCulture))
            : null;
        return new Page<PartnerDto>([.. rows.Take(limit).Select(r => r.Partner.ToDto(language.Language))], next);
    }
}
