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
        var rows = await Filter(query, cancellationToken);
        var limit = query.Limit ?? PageLimits.Default;
        var sort = query.Sort ?? ListAgreementsQuery.Sorts[0];
        var byName = sort is "name" or "-name";
        var descending = sort.StartsWith('-');

        // Keyset paging: the page starts after the last row of the previous one, so its cost does not grow with depth.
        // The leading bound on the first key alone (signed_on >= …) is what lets PostgreSQL start the (signed_on, seq)
        // index scan at the cursor instead of filtering every earlier row; the rest only settles ties on that key.
        if (Cursor.TryDecode(query.Cursor, query.CursorKind, 2, out var keys))
        {
            var afterSeq = long.Parse(keys[1], CultureInfo.InvariantCulture);
            if (byName)
            {
                var afterName = keys[0];
                rows = descending
                    ? rows.Where(r => string.Compare(r.SortName, afterName) <= 0 && (string.Compare(r.SortName, afterName) < 0 || r.Seq < afterSeq))
                    : rows.Where(r => string.Compare(r.SortName, afterName) >= 0 && (string.Compare(r.SortName, afterName) > 0 || r.Seq > afterSeq));
            }
            else
            {
                var afterDate = DateOnly.ParseExact(keys[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                rows = descending
                    ? rows.Where(r => r.SignedOn <= afterDate && (r.SignedOn < afterDate || r.Seq < afterSeq))
                    : rows.Where(r => r.SignedOn >= afterDate && (r.SignedOn > afterDate || r.Seq > afterSeq));
            }
        }

        rows = (byName, descending) switch
        {
            (true, false) => rows.OrderBy(r => r.SortName).ThenBy(r => r.Seq),
            (true, true) => rows.OrderByDescending(r => r.SortName).ThenByDescending(r => r.Seq),
            (false, false) => rows.OrderBy(r => r.SignedOn).ThenBy(r => r.Seq),
            (false, true) => rows.OrderByDescending(r => r.SignedOn).ThenByDescending(r => r.Seq),
        };
        var fetched = await rows.Take(limit + 1).ToListAsync(cancellationToken);

        var page = fetched.Take(limit).ToList();
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);

        string? next = null;
        if (fetched.Count > limit)
        {
            var last = page[^1];
            next = Cursor.Encode(
                query.CursorKind,
                byName ? last.SortName : last.SignedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                last.Seq.ToString(CultureInfo.InvariantCulture));
        }

        return new Page<AgreementDto>(
            [.. page.Select(r => r.Agreement.ToDto(r.Partner, r.Ordinal(), vocabulary, language.Language))],
            next);
    }

    /// <summary>The agreements and their partners that pass every filter, with the keys they can be sorted by.</summary>
    private async Task<IQueryable<Row>> Filter(ListAgreementsQuery query, CancellationToken cancellationToken)
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

        if (query.Year is { } year)
        {
            var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
            agreements = agreements.Where(a => a.SignedOn.Date >= first && a.SignedOn.Date <= last);
        }

        var english = language.Language == Language.English;
        var rows = agreements.Join(partners, a => a.PartnerId, p => p.Id, (a, p) => new Row
        {
            Agreement = a,
            Partner = p,
            Seq = EF.Property<long>(a, IAppDbContext.Sequence),
            SignedOn = a.SignedOn.Date,
            SortName = english ? p.Name.En ?? p.Name.Ja : p.Name.Ja,
            AgreementText = EF.Property<string>(a, IAppDbContext.SearchText),
            PartnerText = EF.Property<string>(p, IAppDbContext.SearchText),
            OrdinalOverall = EF.Property<long?>(a, IAppDbContext.OrdinalOverall),
            OrdinalWithinKind = EF.Property<long?>(a, IAppDbContext.OrdinalWithinKind),
        });

        if (query.Q is not null)
        {
            var pattern = Search.ContainsPattern(query.Q);
            rows = rows.Where(r => EF.Functions.Like(r.AgreementText, pattern, "\\") || EF.Functions.Like(r.PartnerText, pattern, "\\"));
        }

        return rows;
    }

    private sealed class Row
    {
        public required Agreement Agreement { get; init; }

        public required Partner Partner { get; init; }

        public long Seq { get; init; }

        public DateOnly SignedOn { get; init; }

        public required string SortName { get; init; }

        public required string AgreementText { get; init; }

        public required string PartnerText { get; init; }

        public long? OrdinalOverall { get; init; }

        public long? OrdinalWithinKind { get; init; }

        public AgreementOrdinal? Ordinal() => OrdinalOverall is { } overall
            ? new AgreementOrdinal { AgreementId = Agreement.Id, Overall = overall, WithinPartnerKind = OrdinalWithinKind ?? 0 }
            : null;
    }
}
