using LinkJ.Application.Changes;

namespace LinkJ.Infrastructure.Queries;

/// <summary>The change feed and the histories as SQL, read straight into their wire form (ADR 0031).</summary>
public sealed class ChangeQueries(ReadDatabase database) : IChangeQueries
{
    public async Task<bool> AgreementExistsAsync(Guid id, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        statement.Append($"SELECT EXISTS (SELECT 1 FROM agreements a WHERE a.id = {statement.Add(id)})");
        return await database.ReadAsync(statement, async (reader, token) => await reader.ReadAsync(token) && reader.GetBoolean(0), cancellationToken);
    }

    public async Task<IReadOnlyList<HistoryEntryDto>> HistoryAsync(string resourceType, Guid resourceId, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        // Write order: a resource's changes are written one after the other's commit.
        statement.Append(
            "SELECT c.version, c.operation, c.occurred_at, c.actor, c.changed_fields FROM changes c " +
            $"WHERE c.resource_type = {statement.Add(resourceType, NpgsqlTypes.NpgsqlDbType.Varchar)} AND c.resource_id = {statement.Add(resourceId)} ORDER BY c.seq");
        return await database.ListAsync(
            statement,
            r => new HistoryEntryDto(r.GetInt32(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.GetFieldValue<string[]>(4)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<FeedEntry>> AfterAsync(long after, int take, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        statement.Append(
            "SELECT c.position, c.resource_type, c.resource_id, c.operation, c.version, c.occurred_at FROM changes c " +
            $"WHERE c.position > {statement.Add(after)} ORDER BY c.position LIMIT {statement.Add(take)}");
        return await database.ListAsync(
            statement,
            r => new FeedEntry(r.GetInt64(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetInt32(4), r.GetFieldValue<DateTimeOffset>(5)),
            cancellationToken);
    }
}
