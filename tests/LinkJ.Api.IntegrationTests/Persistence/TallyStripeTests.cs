using LinkJ.Api.IntegrationTests.Infrastructure;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Persistence;

/// <summary>
/// An agreement write takes a tally stripe of its own (ADR 0049): the first free one from its process id's onwards, kept
/// for its transaction, so that two pooled connections whose process ids name the same stripe do not wait for each
/// other's commit.
/// </summary>
public sealed class TallyStripeTests(ApiFactory factory) : WriteTest(factory)
{
    // A statement that fires the agreements' statement trigger (lock_agreement_ordinals) and changes no row.
    private const string AgreementWrite = "UPDATE agreements SET status = status WHERE FALSE";

    [Fact]
    public async Task AgreementWrite_WhenItsProcessStripeIsHeld_ShouldTakeAFreeOneWithoutWaiting()
    {
        await using var holder = await OpenAsync();
        await using var writer = await OpenAsync();
        var own = 1 + (writer.ProcessID % 64);
        await using var held = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, $"SELECT pg_advisory_xact_lock(4999, {own})");

        await using var transaction = await writer.BeginTransactionAsync();
        await ExecuteAsync(writer, "SET LOCAL lock_timeout = '3s'"); // waiting for the held stripe would fail here
        await ExecuteAsync(writer, AgreementWrite);
        var taken = await ScalarAsync<int>(writer, "SELECT linkj_tally_stripe()");
        await ExecuteAsync(writer, AgreementWrite);

        Assert.NotEqual(own, taken);
        Assert.InRange(taken, 1, 64);
        Assert.Equal(taken, await ScalarAsync<int>(writer, "SELECT linkj_tally_stripe()")); // kept for the transaction
        Assert.True(await ScalarAsync<bool>(
            holder,
            $"SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND pid = {writer.ProcessID} AND classid = 4999 AND objid = {taken} AND granted)"));
    }

    [Fact]
    public async Task AgreementWrite_WhenItsTransactionEnds_ShouldLeaveTheConnectionWithoutAStripe()
    {
        await using var writer = await OpenAsync();
        await using (var transaction = await writer.BeginTransactionAsync())
        {
            await ExecuteAsync(writer, AgreementWrite);
            Assert.Equal("1", await ScalarAsync<string>(writer, "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND classid = 4999 AND pid = pg_backend_pid()"));
            await transaction.CommitAsync();
        }

        Assert.Equal(string.Empty, await ScalarAsync<string>(writer, "SELECT coalesce(current_setting('linkj.stripe', true), '')"));
        Assert.Equal(1 + (writer.ProcessID % 64), await ScalarAsync<int>(writer, "SELECT linkj_tally_stripe()"));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
