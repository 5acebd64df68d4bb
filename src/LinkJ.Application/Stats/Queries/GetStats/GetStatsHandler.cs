using LinkJ.Application.Abstractions;
using LinkJ.Application.CooperationScopes;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Stats.Queries.GetStats;

/// <summary>
/// Counts in the database (GROUP BY over live partners, live agreements and the <c>agreement_ordinals</c> view, whose
/// rows are exactly the counted partnerships) and reads only the counts and the first and latest partnership.
/// </summary>
public sealed class GetStatsHandler(IAppDbContext db, ILanguageContext language) : IQueryHandler<GetStatsQuery, StatsDto>
{
    public async ValueTask<StatsDto> Handle(GetStatsQuery query, CancellationToken cancellationToken)
    {
        var partners = await db.Partners.AsNoTracking()
            .Where(p => p.DeletedAt == null)
            .GroupBy(p => new { p.Country, p.Kind })
            .Select(g => new PartnerCount(g.Key.Country, g.Key.Kind, g.Count()))
            .ToListAsync(cancellationToken);

        var partnerships = await Partnerships()
            .GroupBy(r => new { r.Partner.Country, r.Partner.Kind, r.SignedOn.Year })
            .Select(g => new PartnershipCount(g.Key.Country, g.Key.Kind, g.Key.Year, g.Count()))
            .ToListAsync(cancellationToken);

        var agreementsByStatus = await db.Agreements.AsNoTracking()
            .Where(a => a.DeletedAt == null)
            .GroupBy(a => a.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(s => s.Status, s => s.Count, cancellationToken);

        var partnershipsByScope = await Partnerships()
            .SelectMany(r => r.Agreement.Cooperation.Scopes)
            .GroupBy(code => code)
            .Select(g => new { Code = g.Key, Count = g.Count() })
            .ToDictionaryAsync(s => s.Code, s => s.Count, StringComparer.Ordinal, cancellationToken);

        var first = await Partnerships().OrderBy(r => r.Ordinal.Overall).FirstOrDefaultAsync(cancellationToken);
        var latest = await Partnerships().OrderByDescending(r => r.Ordinal.Overall).FirstOrDefaultAsync(cancellationToken);
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);

        return StatsComposer.Compose(
            new StatsCounts(partners, partnerships, agreementsByStatus, partnershipsByScope),
            vocabulary,
            first is null ? null : StatsComposer.Milestone(first.Agreement, first.Partner, first.Ordinal, language.Language),
            latest is null ? null : StatsComposer.Milestone(latest.Agreement, latest.Partner, latest.Ordinal, language.Language),
            language.Language);
    }

    /// <summary>The counted partnerships (a row of the ordinals view each), with their agreement and partner.</summary>
    private IQueryable<Row> Partnerships() =>
        db.AgreementOrdinals
            .Join(db.Agreements.AsNoTracking(), o => o.AgreementId, a => a.Id, (o, a) => new { Ordinal = o, Agreement = a })
            .Join(db.Partners.AsNoTracking(), r => r.Agreement.PartnerId, p => p.Id, (r, p) => new Row
            {
                Ordinal = r.Ordinal,
                Agreement = r.Agreement,
                Partner = p,
                SignedOn = r.Agreement.SignedOn.Date,
            });

    private sealed class Row
    {
        public required AgreementOrdinal Ordinal { get; init; }

        public required Agreement Agreement { get; init; }

        public required Partner Partner { get; init; }

        public DateOnly SignedOn { get; init; }
    }
}
