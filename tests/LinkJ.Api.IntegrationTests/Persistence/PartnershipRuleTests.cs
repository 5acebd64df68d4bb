using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Persistence;

/// <summary>
/// "Counts as a partnership" lives twice, by necessity: in the domain (<see cref="Agreement.CountsAsPartnership"/>) and
/// in the database (<c>linkj_counts_as_partnership</c>, which the running numbers' and the tallies' triggers call).
/// This test holds the two against each other on every combination of the rule's inputs, on real rows.
/// </summary>
public sealed class PartnershipRuleTests(ApiFactory factory) : WriteTest(factory)
{
    public static TheoryData<AgreementStatus, bool, bool> Combinations()
    {
        var data = new TheoryData<AgreementStatus, bool, bool>();
        foreach (var status in Enum.GetValues<AgreementStatus>())
        {
            foreach (var deleted in new[] { false, true })
            {
                foreach (var renewal in new[] { false, true })
                {
                    data.Add(status, deleted, renewal);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task CountsAsPartnership_WhenTheDatabaseEvaluatesTheSameRow_ShouldGiveTheDomainsAnswer(AgreementStatus status, bool deleted, bool renewal)
    {
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(connection).UseSnakeCaseNamingConvention().Options);
        await db.Database.UseTransactionAsync(transaction);
        var ids = await db.Agreements.AsNoTracking().Where(a => a.SupersedesId == null).OrderBy(a => a.Id).Select(a => a.Id).Take(2).ToListAsync();

        // The row as the combination has it (rolled back at the end); the triggers number and count it as they do.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE agreements SET status = {WireEnum.ToWire(status)},
                                  deleted_at = CASE WHEN {deleted} THEN now() END,
                                  supersedes_id = CASE WHEN {renewal} THEN {ids[1]} END
            WHERE id = {ids[0]}
            """);
        var database = await db.Database
            .SqlQuery<bool>($"SELECT linkj_counts_as_partnership(status, deleted_at, supersedes_id) AS \"Value\" FROM agreements WHERE id = {ids[0]}")
            .SingleAsync();
        var numbered = await db.Database
            .SqlQuery<bool>($"SELECT ordinal_overall IS NOT NULL AS \"Value\" FROM agreements_with_ordinals WHERE id = {ids[0]}")
            .SingleAsync();
        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == ids[0]);

        var expected = status != AgreementStatus.Draft && !deleted && !renewal;
        Assert.Equal(expected, Agreement.Counts(status, deleted, renewal));
        Assert.Equal((status, deleted, renewal), (agreement.Status, agreement.IsDeleted, agreement.SupersedesId is not null));
        Assert.Equal(agreement.CountsAsPartnership, database);
        Assert.Equal(agreement.CountsAsPartnership, numbered);
        await transaction.RollbackAsync();
    }
}
