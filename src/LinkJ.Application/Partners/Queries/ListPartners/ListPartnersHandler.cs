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

        if (query.Q is not null)
        {
            var pattern = Search.ContainsPattern(query.Q);
            partners = partners.Where(p => EF.Functions.Like(EF.Property<string>(p, IAppDbContext.SearchText), pattern, "\\"));
        }

        var english = language.Language == Language.English;
        var rows = partners.Select(p => new Row
        {
            Partner = p,
            Seq = EF.Property<long>(p, IAppDbContext.Sequence),
            SortName = english ? p.Name.En ?? p.Name.Ja : p.Name.Ja,
        });

        var sort = query.Sort ?? ListPartnersQuery.Sorts[0];
        if (Cursor.TryDecode(query.Cursor, query.CursorKind, 2, out var keys))
        {
            var (afterName, afterSeq) = (keys[0], long.Parse(keys[1], CultureInfo.InvariantCulture));
            rows = sort switch
            {
                "name" => rows.Where(r => string.Compare(r.SortName, afterName) > 0 || (r.SortName == afterName && r.Seq > afterSeq)),
                "-name" => rows.Where(r => string.Compare(r.SortName, afterName) < 0 || (r.SortName == afterName && r.Seq < afterSeq)),
                _ => rows.Where(r => r.Seq > afterSeq),
            };
        }

        rows = sort switch
        {
            "name" => rows.OrderBy(r => r.SortName).ThenBy(r => r.Seq),
            "-name" => rows.OrderByDescending(r => r.SortName).ThenByDescending(r => r.Seq),
            _ => rows.OrderBy(r => r.Seq),
        };

        var limit = query.Limit ?? PageLimits.Default;
        var fetched = await rows.Take(limit + 1).ToListAsync(cancellationToken);
        var page = fetched.Take(limit).ToList();
        var next = fetched.Count > limit
            ? Cursor.Encode(query.CursorKind, sort == "since" ? string.Empty : page[^1].SortName, page[^1].Seq.ToString(CultureInfo.InvariantCulture))
            : null;
        return new Page<PartnerDto>([.. page.Select(r => r.Partner.ToDto(language.Language))], next);
    }

    private sealed class Row
    {
        public required Partner Partner { get; init; }

        public long Seq { get; init; }

        public required string SortName { get; init; }
    }
}
