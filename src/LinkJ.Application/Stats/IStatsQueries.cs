using LinkJ.Domain.Common;

namespace LinkJ.Application.Stats;

/// <summary>What the statistics are made from, read in one round trip (ADR 0031); <see cref="StatsComposer"/> shapes them.</summary>
public interface IStatsQueries
{
    Task<StatsSources> ReadAsync(Language language, CancellationToken cancellationToken);
}

/// <summary>The counts the database keeps, and the first and latest partnership (null while there is none).</summary>
public sealed record StatsSources(StatsCounts Counts, PartnershipMilestoneDto? First, PartnershipMilestoneDto? Latest);
