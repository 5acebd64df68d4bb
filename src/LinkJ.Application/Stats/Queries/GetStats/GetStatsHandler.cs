using LinkJ.Application.Abstractions;
using LinkJ.Application.CooperationScopes;
using Mediator;

namespace LinkJ.Application.Stats.Queries.GetStats;

/// <summary>
/// The statistics: the counts the database keeps and the first and latest partnership, read in one round trip by
/// <see cref="IStatsQueries"/> (no query reads more than a few dozen rows), shaped by <see cref="StatsComposer"/>.
/// </summary>
public sealed class GetStatsHandler(IStatsQueries stats, IAppDbContext db, ILanguageContext language) : IQueryHandler<GetStatsQuery, StatsDto>
{
    public async ValueTask<StatsDto> Handle(GetStatsQuery query, CancellationToken cancellationToken)
    {
        var sources = await stats.ReadAsync(language.Language, cancellationToken);
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);
        return StatsComposer.Compose(sources.Counts, vocabulary, sources.First, sources.Latest, language.Language);
    }
}
