using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Persistence;

/// <summary>
/// Concurrent reads of the data version share one query, but never one that started before they asked: a write that
/// committed before a read began must be in the version it gets (decision 16).
/// </summary>
public sealed class SharedReadTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>A query the test answers by hand, one run at a time.</summary>
    private sealed class ScriptedQuery
    {
        private readonly List<TaskCompletionSource<long>> _runs = [];

        public int Started { get { lock (_runs) { return _runs.Count; } } }

        public Task<long> RunAsync()
        {
            var run = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_runs)
            {
                _runs.Add(run);
            }

            return run.Task;
        }

        public void Answer(int run, long value) => Run(run).SetResult(value);

        public void Fail(int run, Exception exception) => Run(run).SetException(exception);

        private TaskCompletionSource<long> Run(int run)
        {
            lock (_runs)
            {
                return _runs[run];
            }
        }

        public async Task WaitForStartAsync(int count)
        {
            for (var attempt = 0; Started < count; attempt++)
            {
                Assert.True(attempt < 500, $"run {count} never started ({Started} did)");
                await Task.Delay(10);
            }
        }
    }

    [Fact]
    public async Task ReadAsync_WhenAlone_ShouldRunTheQueryAtOnce()
    {
        var query = new ScriptedQuery();
        var shared = new SharedRead<long>(query.RunAsync);

        var read = shared.ReadAsync(CancellationToken.None);

        Assert.Equal(1, query.Started);
        query.Answer(0, 42);
        Assert.Equal(42, await read);
    }

    [Fact]
    public async Task ReadAsync_WhenAQueryIsAlreadyUnderWay_ShouldWaitForOneThatStartsAfterIt()
    {
        var query = new ScriptedQuery();
        var shared = new SharedRead<long>(query.RunAsync);
        var early = shared.ReadAsync(CancellationToken.None);

        // This caller arrives while run 0 is in flight: run 0 may have read the data before the caller's write committed.
        var late = shared.ReadAsync(CancellationToken.None);
        query.Answer(0, 5);

        Assert.Equal(5, await early);
        await query.WaitForStartAsync(2);
        Assert.False(late.IsCompleted);
        query.Answer(1, 7);
        Assert.Equal(7, await late);
    }

    [Fact]
    public async Task ReadAsync_WhenManyArriveDuringOneQuery_ShouldShareOneNextQuery()
    {
        var query = new ScriptedQuery();
        var shared = new SharedRead<long>(query.RunAsync);
        var first = shared.ReadAsync(CancellationToken.None);
        var waiting = Enumerable.Range(0, 50).Select(_ => shared.ReadAsync(CancellationToken.None)).ToArray();

        query.Answer(0, 1);
        await query.WaitForStartAsync(2);
        query.Answer(1, 2);

        Assert.Equal(1, await first);
        Assert.All(await Task.WhenAll(waiting), version => Assert.Equal(2, version));
        Assert.Equal(2, query.Started);
        Assert.Equal(2, shared.Runs);
    }

    [Fact]
    public async Task ReadAsync_WhenTheQueryFails_ShouldFailItsCallersAndRunAgainForTheNext()
    {
        var query = new ScriptedQuery();
        var shared = new SharedRead<long>(query.RunAsync);
        var failing = shared.ReadAsync(CancellationToken.None);

        query.Fail(0, new TimeoutException("slow"));

        await Assert.ThrowsAsync<TimeoutException>(() => failing);
        var next = shared.ReadAsync(CancellationToken.None);
        await query.WaitForStartAsync(2);
        query.Answer(1, 9);
        Assert.Equal(9, await next);
    }

    [Fact]
    public async Task ReadAsync_WhenOneCallerGivesUp_ShouldStillAnswerTheOthers()
    {
        var query = new ScriptedQuery();
        var shared = new SharedRead<long>(query.RunAsync);
        using var cancel = new CancellationTokenSource();
        var leaving = shared.ReadAsync(cancel.Token);
        var staying = shared.ReadAsync(CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        query.Answer(0, 3);
        await query.WaitForStartAsync(2);
        query.Answer(1, 4);

        Assert.Equal(4, await staying);
    }

    [Fact]
    public async Task CurrentAsync_WhenReadsRaceWithCommittedWrites_ShouldNeverReturnAVersionOlderThanOneCommittedBeforeTheReadBegan()
    {
        var dataVersion = Factory.Services.GetRequiredService<DataVersion>();
        await using var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();

        // Writers commit changes one after another; each read that starts after a commit must see at least that position.
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var stale = 0;
            for (var i = 0; i < 100; i++)
            {
                var committed = Volatile.Read(ref _committed);
                if (await dataVersion.CurrentAsync(CancellationToken.None) < committed)
                {
                    stale++;
                }
            }

            return stale;
        })).ToArray();

        for (var i = 0; i < 50; i++)
        {
            // Written, committed, then given its position after the commit, as a writer does (ADR 0030).
            await using var insert = new NpgsqlCommand(
                "INSERT INTO changes (resource_type, resource_id, version, operation, occurred_at, actor, changed_fields) "
                + "VALUES ('partner', gen_random_uuid(), 1, 'updated', now(), 'test', '{}') RETURNING seq",
                connection);
            var seq = (long)(await insert.ExecuteScalarAsync())!;
            await using var sequence = new NpgsqlCommand(AppDbContext.SequenceChangesSql, connection);
            await sequence.ExecuteNonQueryAsync();
            await using var position = new NpgsqlCommand($"SELECT position FROM changes WHERE seq = {seq}", connection);
            Volatile.Write(ref _committed, (long)(await position.ExecuteScalarAsync())!);
        }

        Assert.All(await Task.WhenAll(readers), stale => Assert.Equal(0, stale));
        Assert.True(dataVersion.Queries > 0);
    }

    private long _committed;
}
