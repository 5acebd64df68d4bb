using System.Globalization;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

public sealed class ListAgreementsHandler(IAppDbContext db, ILanguageContext language) : IQueryHandler<ListAgreementsQuery, Page<AgreementDto>>
{
    public async ValueTask<Page<AgreementDto>> Handle(ListAgreementsQuery query, CancellationToken cancellationToken)
    {
        var agreements = db.Agreements.AsNoTracking().Where(a => a.DeletedAt == null);
        var partners = db.Partners.AsNoTracking();

        if (query.PartnerIdOrSlug is not null)
        {
            var partner = await partners.FindLiveAsync(query.PartnerIdOrSlug, cancellationToken);
            agreements = agreements.Where(a => a.PartnerId == partner.Id);
        }

        if (query.Country is not null)
        {
            var country = CountryCode.Create(query.Country);
            partners = partners.Where(p => p.Country == country);
        }

        if (WireEnum.TryParse<PartnerKind>(query.PartnerKind, out var kind))
        {
            partners = partners.Where(p => p.Kind == kind);
        }

        if (WireEnum.TryParse<AgreementStatus>(query.Status, out var status))
        {
            agreements = agreements.Where(a => a.Status == status);
        }

        if (query.Scope is not null)
        {
            agreements = agreements.Where(a => a.Cooperation.Scopes.Contains(query.Scope));
        }

        if (PartialDate.TryParse(query.SignedFrom, out var from))
        {
            agreements = agreements.Where(a => a.SignedOn.Date >= from.Earliest);
        }

        if (PartialDate.TryParse(query.SignedTo, out var to))
        {
            agreements = agreements.Where(a => a.SignedOn.Date <= to.Latest);
        }

        if (Cursor.TryDecode(query.Cursor, ListAgreementsQuery.CursorKind, 2, out var keys))
        {
            var afterDate = DateOnly.ParseExact(keys[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var afterSeq = long.Parse(keys[1], CultureInfo.InvariantCulture);
            agreements = agreements.Where(a =>
                a.SignedOn.Date > afterDate
                || (a.SignedOn.Date == afterDate && EF.Property<long>(a, IAppDbContext.Sequence) > afterSeq));
        }

        var limit = query.Limit ?? PageLimits.Default;
        var rows = await agreements
            .Join(partners, a => a.PartnerId, p => p.Id, (a, p) => new { Agreement = a, Partner = p, Seq = EF.Property<long>(a, IAppDbContext.Sequence) })
            .OrderBy(r => r.Agreement.SignedOn.Date)
            .ThenBy(r => r.Seq)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);

        var page = rows.Take(limit).ToList();
        var ids = page.Select(r => r.Agreement.Id).ToList();
        var ordinals = await db.AgreementOrdinals.Where(o => ids.Contains(o.AgreementId)).ToDictionaryAsync(o => o.AgreementId, cancellationToken);
        var vocabulary = await db.LoadVocabularyAsync(cancellationToken);

        var next = rows.Count > limit
            ? Cursor.Encode(
                ListAgreementsQuery.CursorKind,
                page[^1].Agreement.SignedOn.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                page[^1].Seq.ToString(CultureInfo.InvariantCulture))
            : null;

        return new Page<AgreementDto>(
            [.. page.Select(r => r.Agreement.ToDto(r.Partner, ordinals.GetValueOrDefault(r.Agreement.Id), vocabulary, language.Language))],
            next);
    }
}
