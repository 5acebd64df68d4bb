using Npgsql;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A test's own reset of the database (every table emptied and filled again in one transaction) takes its locks table
/// by table, in an order of its own; the host's background work (the change feed's numbering, the maintenance job, the
/// webhook dispatcher) takes some of the same locks in another order. PostgreSQL then breaks the deadlock by aborting
/// one of the two; when it is the reset, its transaction is rolled back whole and it is run again. The reset is the
/// tests' tool, not what they test: a product transaction aborted this way would fail its own test.
/// </summary>
public static class ResetRetry
{
    /// <summary>How many times a reset is tried before its deadlock fails the test.</summary>
    public const int Attempts = 5;

    /// <summary>Runs <paramref name="reset"/>, again after a deadlock or a serialization failure, <see cref="Attempts"/> times at most.</summary>
    public static async Task OnDeadlockAsync(Func<Task> reset)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await reset();
                return;
            }
            catch (PostgresException e) when (IsTransient(e) && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt));
            }
        }
    }

    private static bool IsTransient(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
