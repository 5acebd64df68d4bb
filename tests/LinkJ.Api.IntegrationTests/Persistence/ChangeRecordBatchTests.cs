using System.Collections.Concurrent;
using System.Data.Common;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LinkJ.Api.IntegrationTests.Persistence;

/// <summary>
/// How a save sends an aggregate and its change records (ADR 0014): agreements in the same batch as their change
/// records, the agreement's statement first, so the running numbers' lock is taken before the feed's, as by every
/// other writer; partners before their change records, in a batch of their own.
/// </summary>
public sealed class ChangeRecordBatchTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task SaveChanges_WhenOnlyAnAgreementChanges_ShouldSendItBeforeItsChangeRecordInOneBatch()
    {
        var commands = new ConcurrentQueue<string>();
        await using var db = Context(commands);
        var agreement = await db.Agreements.OrderBy(a => a.Id).FirstAsync(a => a.Status == LinkJ.Domain.Agreements.AgreementStatus.Active);
        agreement.Terminate(DateOnly.FromDateTime(DateTime.UtcNow), "バッチの順序の確認", DateTimeOffset.UtcNow);
        commands.Clear();

        await db.SaveChangesAsync();

        var batch = Assert.Single(commands, c => c.Contains("INSERT INTO changes", StringComparison.Ordinal));
        var update = batch.IndexOf("UPDATE agreements", StringComparison.Ordinal);
        Assert.True(update >= 0 && update < batch.IndexOf("INSERT INTO changes", StringComparison.Ordinal), batch);
    }

    [Fact]
    public async Task SaveChanges_WhenAPartnerChanges_ShouldSaveItBeforeItsChangeRecordInAnotherBatch()
    {
        var commands = new ConcurrentQueue<string>();
        await using var db = Context(commands);
        var partnerId = Guid.Parse(await PartnerIdAsync());
        var partner = await db.Partners.FirstAsync(p => p.Id == partnerId);
        partner.Rename(BilingualText.Create("大阪府（新）", "Osaka Prefecture (new)"), null, DateTimeOffset.UtcNow);
        commands.Clear();

        await db.SaveChangesAsync();

        var sent = commands.ToList();
        var partnerUpdate = sent.FindIndex(c => c.Contains("UPDATE partners", StringComparison.Ordinal));
        var changeRecord = sent.FindIndex(c => c.Contains("INSERT INTO changes", StringComparison.Ordinal));
        Assert.True(partnerUpdate >= 0 && partnerUpdate < changeRecord, string.Join("\n---\n", sent));
        Assert.DoesNotContain("INSERT INTO changes", sent[partnerUpdate], StringComparison.Ordinal);
    }

    private AppDbContext Context(ConcurrentQueue<string> commands) =>
        new(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(Factory.ConnectionString)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(new CommandRecorder(commands))
            .Options);

    private sealed class CommandRecorder(ConcurrentQueue<string> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
