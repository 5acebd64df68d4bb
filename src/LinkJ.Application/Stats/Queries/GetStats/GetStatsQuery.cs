using Mediator;

namespace LinkJ.Application.Stats.Queries.GetStats;

/// <summary>LINK-J's partners and partnerships in numbers, with display texts in the negotiated language.</summary>
public sealed record GetStatsQuery : IQuery<StatsDto>;
