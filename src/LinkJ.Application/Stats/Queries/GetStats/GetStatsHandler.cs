using LinkJ.Application.Abstractions;
using LinkJ.Application.CooperationScopes;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Stats.Queries.GetStats;

/// <summary>
/// Counts come from the tallies the database keeps (<see cref="PartnerTally"/> and the others); the first and latest
/// partnership from the running numbers' index. No query reads more than a few dozen rows.
/// </summary>
public sealed class GetStatsHandler(IAppDbContext db, ILanguageContext language) : IQueryHandler<GetStatsQuery, StatsDto>
{
    public async ValueTask<StatsDto> Handle(GetStatsQuery query, CancellationToken cancellationToken)
    {
        // The counts are read from the tallies the database keeps as partners and agreements change: a few dozen rows,
        // whatever the number of agreements.
        var partners = await db.PartnerTallies
            .Where(t => t.Count > 0)
            .Select(t => new PartnerCount(t.Country, t.Kind, (int)t.Count))
            .ToListAsync(cancellationToken);

        var partnerships = await db.PartnershipTallies
            .Where(t => t.Count > 0)
            .Select(t => new PartnershipCount(t.Country, t.Kind, t.Year, (int)t.Count))
            .ToListAsync(cancellationToken);

        var agreementsByStatus = await db.AgreementStatusTallies
            .Where(t => t.Count > 0)
            .ToDictionaryAsync(t => t.Status, t => (int)t.Count, cancellationToken);

        var partnershipsByScope = await db.ScopeTallies
            .Where(t => t.Count > 0)
            .ToDictionaryAsync(t => t.Code, t => (int)t.Count, StringComparer.Ordinal, cancellationToken);

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
