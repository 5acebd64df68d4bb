using LinkJ.Application.Agreements;
using LinkJ.Application.Stats;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Npgsql;
using static LinkJ.Infrastructure.Queries.AgreementRows;

namespace LinkJ.Infrastructure.Queries;

/// <summary>
/// The statistics' sources in one round trip (ADR 0031): the tallies the database keeps as partners and agreements change
/// (a few dozen rows, whatever the number of agreements), and the first and latest partnership from the running numbers'
/// index.
/// </summary>
public sealed class StatsQueries(ReadDatabase database) : IStatsQueries
{
    private const string Milestone =
        $"SELECT a.id, a.signed_on, a.signed_on_precision, {Ordinals.Columns}, {PartnerSummaryColumns} " +
        $"FROM agreements a JOIN partners p ON p.id = a.partner_id{Ordinals.Join} WHERE {Ordinals.Counted} ORDER BY ";

    public Task<StatsSources> ReadAsync(Language language, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT t.country, t.kind, t.count::int FROM partner_tallies t WHERE t.count > 0"),
                new NpgsqlBatchCommand("SELECT t.country, t.kind, t.year, t.count::int FROM partnership_tallies t WHERE t.count > 0"),
                new NpgsqlBatchCommand("SELECT t.status, t.count::int FROM agreement_status_tallies t WHERE t.count > 0"),
                new NpgsqlBatchCommand("SELECT t.code, t.count::int FROM scope_tallies t WHERE t.count > 0"),
                new NpgsqlBatchCommand(Milestone + Ordinals.Order + " LIMIT 1"),
                new NpgsqlBatchCommand(Milestone + Ordinals.OrderDescending + " LIMIT 1"),
            },
        };

        return database.ReadAsync(batch, async (reader, token) =>
        {
            var partners = await ReadDatabase.Rows(reader, r => new PartnerCount(CountryCode.Create(r.GetString(0)), Wire<PartnerKind>(r.GetString(1)), r.GetInt32(2)), token);
            await reader.NextResultAsync(token);
            var partnerships = await ReadDatabase.Rows(
                reader, r => new PartnershipCount(CountryCode.Create(r.GetString(0)), Wire<PartnerKind>(r.GetString(1)), r.GetInt32(2), r.GetInt32(3)), token);
            await reader.NextResultAsync(token);
            var byStatus = (await ReadDatabase.Rows(reader, r => (Status: Wire<AgreementStatus>(r.GetString(0)), Count: r.GetInt32(1)), token))
                .ToDictionary(t => t.Status, t => t.Count);
            await reader.NextResultAsync(token);
            var byScope = (await ReadDatabase.Rows(reader, r => (Code: r.GetString(0), Count: r.GetInt32(1)), token))
                .ToDictionary(t => t.Code, t => t.Count, StringComparer.Ordinal);
            await reader.NextResultAsync(token);
            var first = (await ReadDatabase.Rows(reader, r => ReadMilestone(r, language), token)).FirstOrDefault();
            await reader.NextResultAsync(token);
            var latest = (await ReadDatabase.Rows(reader, r => ReadMilestone(r, language), token)).FirstOrDefault();
            return new StatsSources(new StatsCounts(partners, partnerships, byStatus, byScope), first, latest);
        }, cancellationToken);
    }

    private static PartnershipMilestoneDto ReadMilestone(NpgsqlDataReader r, Language language) =>
        new(r.GetGuid(0), ReadSummary(r, 5, language), SignedOn(r, 1), Ordinals.Read(r, 3)!);
}
