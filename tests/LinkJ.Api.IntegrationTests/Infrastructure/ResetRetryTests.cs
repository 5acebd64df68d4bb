using Npgsql;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>A reset that PostgreSQL aborts to break a deadlock is run again (<see cref="ResetRetry"/>); any other failure is the test's.</summary>
public sealed class ResetRetryTests
{
    private static PostgresException Failure(string sqlState) => new("test failure", "ERROR", "ERROR", sqlState);

    [Fact]
    public async Task OnDeadlockAsync_WhenTheResetDeadlocksTwice_ShouldRunItAgainUntilItSucceeds()
    {
        var runs = 0;

        await ResetRetry.OnDeadlockAsync(() => ++runs <= 2 ? throw Failure(PostgresErrorCodes.DeadlockDetected) : Task.CompletedTask);

        Assert.Equal(3, runs);
    }

    [Fact]
    public async Task OnDeadlockAsync_WhenTheResetDeadlocksEveryTime_ShouldThrowTheDeadlockAfterItsAttempts()
    {
        var runs = 0;

        var thrown = await Assert.ThrowsAsync<PostgresException>(() => ResetRetry.OnDeadlockAsync(() =>
        {
            runs++;
            throw Failure(PostgresErrorCodes.DeadlockDetected);
        }));

        Assert.Equal(ResetRetry.Attempts, runs);
        Assert.Equal(PostgresErrorCodes.DeadlockDetected, thrown.SqlState);
    }

    [Fact]
    public async Task OnDeadlockAsync_WhenTheResetFailsOtherwise_ShouldThrowAtOnce()
    {
        var runs = 0;

        var thrown = await Assert.ThrowsAsync<PostgresException>(() => ResetRetry.OnDeadlockAsync(() =>
        {
            runs++;
            throw Failure(PostgresErrorCodes.UniqueViolation);
        }));

        Assert.Equal(1, runs);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, thrown.SqlState);
    }
}
