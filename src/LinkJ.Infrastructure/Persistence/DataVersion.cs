using Npgsql;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// The position of the last committed change: it grows with every create, update and delete, in commit order, and is
/// the same for every replica. Public reads key their ETags and cached bodies on it, so a write is seen at once
/// everywhere without any message between replicas.
/// </summary>
public sealed class DataVersion(NpgsqlDataSource dataSource)
{
    /// <summary>The query, also asked of a standby to learn how far it has replayed.</summary>
    public const string Sql = "SELECT coalesce(max(position), 0) FROM changes";

    public async Task<long> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
