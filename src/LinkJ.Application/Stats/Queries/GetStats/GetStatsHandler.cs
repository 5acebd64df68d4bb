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
    // Compiled once: stats is read on partner websites' pages, and translating the six LINQ trees on every call (building
    // them, hashing them for EF Core's query cache) cost about a sixth of the API's CPU per uncached read.
    private static readonly Func<DbContext, IAsyncEnumerable<PartnerCount>> PartnerCounts = EF.CompileAsyncQuery((DbContext db) =>
        db.Set<PartnerTally>().AsNoTracking().Where(t => t.Count > 0).Select(t => new PartnerCount(t.Country, t.Kind, (int)t.Count)));

    private static readonly Func<DbContext, IAsyncEnumerable<PartnershipCount>> PartnershipCounts = EF.CompileAsyncQuery((DbContext db) =>
        db.Set<PartnershipTally>().AsNoTracking().Where(t => t.Count > 0).Select(t => new PartnershipCount(t.Country, t.Kind, t.Year, (int)t.Count)));

    private static readonly Func<DbContext, IAsyncEnumerable<AgreementStatusTally>> StatusCounts = EF.CompileAsyncQuery((DbContext db) =>
        db.Set<AgreementStatusTally>().AsNoTracking().Where(t => t.Count > 0));

    private static readonly Func<DbContext, IAsyncEnumerable<ScopeTally>> ScopeCounts = EF.CompileAsyncQuery((DbContext db) =>
        db.Set<ScopeTally>().AsNoTracking().Where(t => t.Count > 0));

    private static readonly Func<DbContext, CancellationToken, Task<Row?>> First = EF.CompileAsyncQuery((DbContext db, CancellationToken _) =>
        Partnerships(db).OrderBy(r => r.SignedOn).ThenBy(r => r.Seq).FirstOrDefault());

    private static readonly Func<DbContext, CancellationToken, Task<Row?>> Latest = EF.CompileAsyncQuery((DbContext db, CancellationToken _) =>
        Partnerships(db).OrderByDescending(r => r.SignedOn).ThenByDescending(r => r.Seq).FirstOrDefault());

    public async ValueTask<StatsDto> Handle(GetStatsQuery query, CancellationToken cancellationToken)
    {
        // The counts are read from the tallies the database keeps as partners and agreements change: a few dozen rows,
        // whatever the number of agreements.
        var context = db.AsDbContext();
        var partners = await PartnerCounts(context).ToListAsync(cancellationToken);
        var partnerships = await PartnershipCounts(context).ToListAsync(cancellationToken);
        var agreementsByStatus = (await StatusCounts(context).ToListAsync(cancellationToken)).ToDictionary(t => t.Status, t => (int)t.Count);
        var partnershipsByScope = (await ScopeCounts(context).ToListAsync(cancellationToken))
            .ToDictionary(t => t.Code, t => (int)t.Count, StringComparer.Ordinal);

        var first = await First(context, cancellationToken);
        var latest = await Latest(context, cancellationToken);
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);

        return StatsComposer.Compose(
            new StatsCounts(partners, partnerships, agreementsByStatus, partnershipsByScope),
            vocabulary,
            first is null ? null : StatsComposer.Milestone(first.Agreement, first.Partner, first.Ordinal, language.Language),
            latest is null ? null : StatsComposer.Milestone(latest.Agreement, latest.Partner, latest.Ordinal, language.Language),
            language.Language);
    }

    /// <summary>The counted partnerships (a row of the ordinals view each), with their agreement and partner.</summary>
    private static IQueryable<Row> Partnerships(DbContext db) =>
        db.Set<AgreementOrdinal>().AsNoTracking()
            .Join(db.Set<Agreement>().AsNoTracking(), o => o.AgreementId, a => a.Id, (o, a) => new { Ordinal = o, Agreement = a })
            .Join(db.Set<Partner>().AsNoTracking(), r => r.Agreement.PartnerId, p => p.Id, (r, p) => new Row
            {
                Ordinal = r.Ordinal,
                Agreement = r.Agreement,
                Partner = p,
                SignedOn = r.Agreement.SignedOn.Date,
                Seq = EF.Property<long>(r.Agreement, IAppDbContext.Sequence),
            });

    private sealed class Row
    {
        public required AgreementOrdinal Ordinal { get; init; }

        public required Agreement Agreement { get; init; }

        public required Partner Partner { get; init; }

        public DateOnly SignedOn { get; init; }

        // Signing order (signed_on, seq) is running-number order: the first and the latest come from the index, not
        // from ranking every partnership (ADR 0033).
        public long Seq { get; init; }
    }
}
