using LinkJ.Application.Abstractions;
using Npgsql;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// The position of the last numbered change: it grows with every create, update and delete (numbered right after its
/// commit and before the write is answered, ADR 0030), and is the same for every replica. Public reads key their ETags and cached bodies on it, so a write is seen at once
/// everywhere without any message between replicas.
/// </summary>
/// <remarks>
/// Concurrent reads share one query (<see cref="SharedRead{T}"/>), but only one that started after they asked: a write
/// that committed before a read began is always in the version that read gets (decision 7; decision 16 for why).
/// </remarks>
public sealed class DataVersion : IDataVersion
{
    /// <summary>The query, also asked of a standby to learn how far it has replayed.</summary>
    public const string Sql = "SELECT coalesce(max(position), 0) FROM changes";

    private readonly SharedRead<long> _read;

    // No caller's token: the query answers every read that joined it, and ends by its command timeout.
    public DataVersion(NpgsqlDataSource dataSource) => _read = new SharedRead<long>(async () =>
    {
        await using var command = dataSource.CreateCommand(Sql);
        return (long)(await command.ExecuteScalarAsync())!;
    });

    /// <summary>How many queries have been sent (each may answer many reads).</summary>
    public long Queries => _read.Runs;

    public Task<long> CurrentAsync(CancellationToken cancellationToken) => _read.ReadAsync(cancellationToken);
}
