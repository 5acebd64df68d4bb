using System.Collections.Concurrent;
using System.Data.Common;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Domain.Agreements;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Persistence;

/// <summary>
/// The write path's round trips (ADR 0045): a commit carries the statements queued for it and the numbering of its
/// changes in one round trip, all or nothing; a partner that an agreement read in the same unit of work proves live
/// is not looked up again.
/// </summary>
public sealed class CommitRoundTripTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task CommitAsync_WhenAQueuedStatementFails_ShouldCommitNothingAndLeaveNoTransactionOpen()
    {
        await using var db = Context();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var agreement = await db.Agreements.OrderBy(a => a.Id).FirstAsync(a => a.Status == AgreementStatus.Active && a.DeletedAt == null);
        var version = agreement.Version;
        agreement.Terminate(DateOnly.FromDateTime(DateTime.UtcNow), "失敗する確定の確認", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        db.ExecuteAtCommit(new NpgsqlBatchCommand("SELECT 1 / 0"));

        await Assert.ThrowsAsync<PostgresException>(db.CommitAsync);

        Assert.Null(db.Database.CurrentTransaction);
        await using var other = Context();
        Assert.Equal(version, await other.Agreements.Where(a => a.Id == agreement.Id).Select(a => a.Version).SingleAsync());
        Assert.Equal(0, await other.Changes.CountAsync(c => c.ResourceId == agreement.Id && c.Version == version + 1));
        // The connection went back to the pool outside any transaction: the next statement on it runs on its own.
        Assert.Equal(1, await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\"").SingleAsync());
    }

    [Fact]
    public async Task CommitAsync_WhenStatementsAreQueued_ShouldCommitThemWithTheWriteAndNumberItsChange()
    {
        await using var db = Context();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var agreement = await db.Agreements.OrderBy(a => a.Id).FirstAsync(a => a.Status == AgreementStatus.Active && a.DeletedAt == null);
        agreement.Terminate(DateOnly.FromDateTime(DateTime.UtcNow), "確定の一往復の確認", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        var key = "commit-" + Guid.NewGuid();
        db.ExecuteAtCommit(new NpgsqlBatchCommand("INSERT INTO idempotency_keys (owner, key, request_hash, status_code, created_at) VALUES ('commit-tests', $1, '\\x00', 201, now())")
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = key } },
        });

        await db.CommitAsync();

        Assert.Null(db.Database.CurrentTransaction);
        await using var other = Context();
        var change = await other.Changes.SingleAsync(c => c.ResourceId == agreement.Id && c.Version == agreement.Version);
        Assert.NotNull(change.Position);
        Assert.Equal(201, (await other.IdempotencyRecords.SingleAsync(r => r.Owner == "commit-tests" && r.Key == key)).StatusCode);
    }

    [Fact]
    public async Task RollBackAtCommitAsync_WhenAWriteAndAStatementAreQueued_ShouldRunThemAndKeepNothing()
    {
        await using var db = Context();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var agreement = await db.Agreements.OrderBy(a => a.Id).FirstAsync(a => a.Status == AgreementStatus.Active && a.DeletedAt == null);
        var version = agreement.Version;
        agreement.Terminate(DateOnly.FromDateTime(DateTime.UtcNow), "予行の確認", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        var key = "rehearsal-" + Guid.NewGuid();
        db.ExecuteAtCommit(new NpgsqlBatchCommand("INSERT INTO idempotency_keys (owner, key, request_hash, status_code, created_at) VALUES ('commit-tests', $1, '\\x00', 201, now())")
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = key } },
        });
        var positions = await Factory.ScalarAsync<long>("SELECT last_value FROM change_positions");

        await db.RollBackAtCommitAsync();

        Assert.Null(db.Database.CurrentTransaction);
        await using var other = Context();
        Assert.Equal(version, await other.Agreements.Where(a => a.Id == agreement.Id).Select(a => a.Version).SingleAsync());
        Assert.Equal(0, await other.Changes.CountAsync(c => c.ResourceId == agreement.Id && c.Version == version + 1));
        Assert.False(await other.IdempotencyRecords.AnyAsync(r => r.Owner == "commit-tests" && r.Key == key));
        Assert.Equal(positions, await Factory.ScalarAsync<long>("SELECT last_value FROM change_positions"));
        // The connection went back to the pool outside any transaction: the next statement on it runs on its own.
        Assert.Equal(1, await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\"").SingleAsync());
    }

    [Fact]
    public async Task RollBackAtCommitAsync_WhenAQueuedStatementFails_ShouldThrowLikeACommit()
    {
        await using var db = Context();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.ExecuteAtCommit(new NpgsqlBatchCommand("SELECT 1 / 0"));

        await Assert.ThrowsAsync<PostgresException>(db.RollBackAtCommitAsync);

        Assert.Null(db.Database.CurrentTransaction);
    }

    [Fact]
    public async Task SaveChanges_WhenNoTransactionIsOpen_ShouldReturnWithTheChangeCommittedAndNumbered()
    {
        await using var db = Context();
        var agreement = await db.Agreements.OrderBy(a => a.Id).FirstAsync(a => a.Status == AgreementStatus.Active && a.DeletedAt == null);
        agreement.Terminate(DateOnly.FromDateTime(DateTime.UtcNow), "単独の保存の確認", DateTimeOffset.UtcNow);

        await db.SaveChangesAsync();

        Assert.Null(db.Database.CurrentTransaction);
        await using var other = Context();
        var change = await other.Changes.SingleAsync(c => c.ResourceId == agreement.Id && c.Version == agreement.Version);
        Assert.NotNull(change.Position);
    }

    [Fact]
    public async Task IsLiveAsync_WhenAnAgreementReadLiveNamesThePartner_ShouldAnswerWithoutAQuery()
    {
        var commands = new ConcurrentQueue<string>();
        await using var db = Context(commands);
        var agreement = await db.Agreements.OrderBy(a => a.Id).FirstAsync(a => a.DeletedAt == null);
        var partners = new PartnerRepository(db);
        commands.Clear();

        Assert.True(await partners.IsLiveAsync(agreement.PartnerId, CancellationToken.None));
        Assert.Empty(commands);
        Assert.False(await partners.IsLiveAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.Single(commands);
    }

    private AppDbContext Context(ConcurrentQueue<string>? commands = null)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(Factory.ConnectionString).UseSnakeCaseNamingConvention();
        if (commands is not null)
        {
            options.AddInterceptors(new CommandRecorder(commands));
        }

        return new AppDbContext(options.Options);
    }

    private sealed class CommandRecorder(ConcurrentQueue<string> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
