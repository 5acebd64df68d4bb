using System.Text;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Webhooks;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LinkJ.Infrastructure.Imports;

/// <summary>
/// The writes of an import, set-based (ADR 0042): the staged records' rows and their change records are copied into
/// temporary tables (one binary COPY each), then written with one INSERT … SELECT for the new records, one UPDATE … FROM
/// per set of changed columns for the stored ones, and one INSERT … SELECT for the change records. The rows, change
/// records (same changed fields, event types and order) and triggers are those of single writes through
/// <see cref="AppDbContext"/>; the tallies are summed once (ADR 0041) and the feed is numbered after the commit (ADR 0030).
/// </summary>
public sealed class ImportStore(IAppDbContext db, ICurrentActor actor) : IImportStore
{
    private const string Rows = "linkj_import_rows";
    private const string Changes = "linkj_import_changes";

    /// <summary>A batch of thousands of rows takes longer than a request's statement is allowed (Database:CommandTimeoutSeconds).</summary>
    private const int TimeoutSeconds = 300;

    private readonly List<Staged> _staged = [];

    private AppDbContext Context => db as AppDbContext ?? throw new InvalidOperationException("An import writes to the primary.");

    public async Task<IReadOnlyList<Partner>> PartnersAsync(CancellationToken cancellationToken) =>
        await Context.Partners.AsNoTracking().ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Agreement>> AgreementsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken) =>
        await Context.Agreements.AsNoTracking().Where(a => a.ExternalRef != null && externalIds.Contains(a.ExternalRef.Id)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Agreement>> AgreementsByIdAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await Context.Agreements.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);

    public void StageNew<T>(int row, T record) where T : AggregateRoot => _staged.Add(new Staged(row, record, null));

    public void StageStored<T>(int row, T record) where T : AggregateRoot =>
        _staged.Add(new Staged(row, record, BulkTable.For(Context, record.GetType()).Read(record)));

    public void Unstage(AggregateRoot record) => _staged.RemoveAll(s => ReferenceEquals(s.Record, record));

    public void Discard() => _staged.Clear();

    public async Task SaveAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(perRow: false, cancellationToken);
        }
        catch (PostgresException exception) when (Conflict(exception) is { } error)
        {
            throw new DomainException(error);
        }
    }

    public Task<IReadOnlyList<(int Row, Error Error)>> SaveEachAsync(CancellationToken cancellationToken) => WriteAsync(perRow: true, cancellationToken);

    /// <summary>One write in the order staged: the row's number, the record, and what to write for it.</summary>
    private sealed record Staged(int Row, AggregateRoot Record, object?[]? Before);

    /// <summary>
    /// Runs a write behind a savepoint: kept when it succeeds (null), rolled back to the savepoint when the database or a
    /// domain rule refuses it, and the refusal returned as the row's error. Anything else propagates.
    /// </summary>
    private static async Task<Error?> InSavepointAsync(NpgsqlConnection connection, string name, Func<Task> write, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"SAVEPOINT {name}", cancellationToken);
        try
        {
            await write();
            await ExecuteAsync(connection, $"RELEASE SAVEPOINT {name}", cancellationToken);
            return null;
        }
        catch (Exception exception) when (exception is DomainException || (exception is PostgresException postgres && Conflict(postgres) is not null))
        {
            await ExecuteAsync(connection, $"ROLLBACK TO SAVEPOINT {name}", CancellationToken.None);
            return exception is DomainException domain ? domain.Error : Conflict((PostgresException)exception)!;
        }
    }

    private sealed record Write(int Ordinal, int Row, BulkTable Table, object?[] Values, int? OldVersion, int Group, int[] Changed, ChangeRecord Change);

    private async Task<IReadOnlyList<(int Row, Error Error)>> WriteAsync(bool perRow, CancellationToken cancellationToken)
    {
        var context = Context;
        var writes = Prepare(context);
        _staged.Clear();
        var failures = new List<(int Row, Error Error)>();
        if (writes.Count == 0)
        {
            return failures;
        }

        var owned = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var connection = (NpgsqlConnection)context.Database.GetDbConnection();
            // Inside the one transaction the tallies are kept as one bulk write (ADR 0041): the triggers collect each
            // row's deltas and linkj_bulk_end adds their sums before the commit.
            await ExecuteAsync(connection, "SELECT linkj_bulk_begin()", cancellationToken);
            var table = writes[0].Table;
            var changes = BulkTable.For(context, typeof(ChangeRecord));
            await CopyAsync(connection, table, changes, writes, cancellationToken);
            if (!perRow)
            {
                await WriteRowsAsync(connection, table, changes, writes, null, cancellationToken);
            }
            else
            {
                // Every row at once, behind a savepoint; if the database refuses one of them (a race), each row on its own.
                if (await InSavepointAsync(connection, "linkj_import_all", () => WriteRowsAsync(connection, table, changes, writes, null, cancellationToken), cancellationToken) is not null)
                {
                    foreach (var write in writes)
                    {
                        if (await InSavepointAsync(connection, "linkj_import_row", () => WriteRowsAsync(connection, table, changes, writes, write, cancellationToken), cancellationToken) is { } refused)
                        {
                            failures.Add((write.Row, refused));
                        }
                    }
                }
            }

            await ExecuteAsync(connection, "SELECT linkj_bulk_end()", cancellationToken);
            context.ChangesWritten();
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken);
                await owned.DisposeAsync();
                owned = null;
                await context.SequenceChangesAsync();
            }

            return failures;
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// What to write for each staged record: its columns now, and for a stored one the version it had when staged and the
    /// columns that changed since (a record that did not change is left out); its change record, as
    /// <see cref="AppDbContext"/> would write it. Updates are grouped by the columns they change (one UPDATE each).
    /// </summary>
    private List<Write> Prepare(AppDbContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        var writes = new List<Write>();
        // Partners first, as the single save orders change records: a feed reader meets a new partner before the agreements that point to it.
        foreach (var staged in _staged.OrderBy(s => s.Record is Partner ? 0 : 1))
        {
            var table = BulkTable.For(context, staged.Record.GetType());
            var values = table.Read(staged.Record);
            var group = 0;
            int[] changed = [];
            string operation;
            string[] changedFields;
            int? oldVersion = null;
            if (staged.Before is null)
            {
                operation = "created";
                changedFields = [];
            }
            else
            {
                changed = table.ChangedColumns(staged.Before, values);
                if (changed.Length == 0)
                {
                    continue;
                }

                var signature = string.Join(",", changed);
                if (!groups.TryGetValue(signature, out group))
                {
                    groups[signature] = group = groups.Count + 1;
                }

                operation = "updated";
                changedFields = table.ChangedFields(staged.Before, values);
                oldVersion = table.ConcurrencyToken is { } token ? (int?)staged.Before[IndexOf(table, token)] : null;
            }

            var resourceType = staged.Record is Partner ? "partner" : "agreement";
            var agreement = staged.Record as Agreement;
            var change = new ChangeRecord
            {
                ResourceType = resourceType,
                ResourceId = staged.Record.Id,
                Version = staged.Record.Version,
                Operation = operation,
                OccurredAt = now,
                Actor = actor.Name,
                ChangedFields = changedFields,
                EventType = WebhookEventTypes.Of(resourceType, operation, changedFields, agreement is null ? null : WireEnum.ToWire(agreement.Status), agreement?.SupersedesId is not null),
            };
            writes.Add(new Write(writes.Count + 1, staged.Row, table, values, oldVersion, group, changed, change));
        }

        if (writes.Select(w => w.Table).Distinct().Count() > 1)
        {
            throw new InvalidOperationException("An import writes records of one kind.");
        }

        return writes;
    }

    private static int IndexOf(BulkTable table, BulkColumn column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (ReferenceEquals(table.Columns[i], column))
            {
                return i;
            }
        }

        throw new InvalidOperationException("Not a column of the table.");
    }

    /// <summary>Copies the rows and the change records into temporary tables (dropped at commit), one binary COPY each.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, BulkTable table, BulkTable changes, IReadOnlyList<Write> writes, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"""
            DROP TABLE IF EXISTS pg_temp.{Rows};
            CREATE TEMP TABLE {Rows} ON COMMIT DROP AS
                SELECT {table.ColumnList()}, 0 AS import_ordinal, 0 AS import_group, 0 AS import_old_version FROM {BulkTable.Quote(table.Name)} WITH NO DATA;
            DROP TABLE IF EXISTS pg_temp.{Changes};
            CREATE TEMP TABLE {Changes} ON COMMIT DROP AS
                SELECT {changes.ColumnList()}, 0 AS import_ordinal FROM {BulkTable.Quote(changes.Name)} WITH NO DATA;
            """, cancellationToken);

        await using (var importer = await connection.BeginBinaryImportAsync(
                         $"COPY {Rows} ({table.ColumnList()}, import_ordinal, import_group, import_old_version) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var write in writes)
            {
                await importer.StartRowAsync(cancellationToken);
                await WriteValuesAsync(importer, table, write.Values, cancellationToken);
                await importer.WriteAsync(write.Ordinal, cancellationToken);
                await importer.WriteAsync(write.Group, cancellationToken);
                await (write.OldVersion is { } version ? importer.WriteAsync(version, cancellationToken) : importer.WriteNullAsync(cancellationToken));
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
                         $"COPY {Changes} ({changes.ColumnList()}, import_ordinal) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var write in writes)
            {
                await importer.StartRowAsync(cancellationToken);
                await WriteValuesAsync(importer, changes, changes.Read(write.Change), cancellationToken);
                await importer.WriteAsync(write.Ordinal, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }
    }

    private static async Task WriteValuesAsync(NpgsqlBinaryImporter importer, BulkTable table, object?[] values, CancellationToken cancellationToken)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                await importer.WriteAsync(value, table.Columns[i].DataType, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Writes the copied rows (every one, or only <paramref name="only"/>) to their tables: the updates (each checked
    /// against the version it was read at), the new records in the order staged, then their change records last, in
    /// the same order (ADR 0032's lock order: the aggregates' rows, the tallies' lock their statement trigger takes,
    /// the change records).
    /// </summary>
    private static async Task WriteRowsAsync(NpgsqlConnection connection, BulkTable table, BulkTable changes, IReadOnlyList<Write> writes, Write? only, CancellationToken cancellationToken)
    {
        var target = BulkTable.Quote(table.Name);
        var key = BulkTable.Quote(table.Key!.Name);
        var selected = only is null ? writes : [only];
        var filter = only is null ? string.Empty : $" AND s.import_ordinal = {only.Ordinal}";
        foreach (var group in selected.Where(w => w.Group > 0).GroupBy(w => w.Group))
        {
            // Only the columns that changed, as EF Core writes an update: a column in an UPDATE's SET list fires its
            // triggers (a partner's kind or country takes the running numbers' lock exclusively).
            var columns = group.First().Changed.Select(i => BulkTable.Quote(table.Columns[i].Name));
            var version = table.ConcurrencyToken is { } token ? $" AND t.{BulkTable.Quote(token.Name)} = s.import_old_version" : string.Empty;
            var updated = await ExecuteAsync(connection, $"""
                UPDATE {target} t SET {string.Join(", ", columns.Select(c => $"{c} = s.{c}"))}
                FROM {Rows} s WHERE t.{key} = s.{key}{version} AND s.import_group = {group.Key}{filter}
                """, cancellationToken);
            if (updated != group.Count())
            {
                // A record changed between the import's read and its write: never overwrite it silently.
                throw new DomainException(only is null
                    ? new Error("import.concurrent-change", "A record of the import was changed by another write meanwhile; nothing was written. Run the import again.", ErrorKind.Conflict)
                    : new Error("import.concurrent-change", "The record was changed by another write meanwhile; this row was not written.", ErrorKind.Conflict));
            }
        }

        if (selected.Any(w => w.Group == 0))
        {
            await ExecuteAsync(connection, $"""
                INSERT INTO {target} ({table.ColumnList()})
                SELECT {table.ColumnList("s")} FROM {Rows} s WHERE s.import_group = 0{filter} ORDER BY s.import_ordinal
                """, cancellationToken);
        }

        await ExecuteAsync(connection, $"""
            INSERT INTO {BulkTable.Quote(changes.Name)} ({changes.ColumnList()})
            SELECT {changes.ColumnList("s")} FROM {Changes} s WHERE true{filter} ORDER BY s.import_ordinal
            """, cancellationToken);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = TimeoutSeconds };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A unique or foreign-key violation that is a client's conflict (a race), in the domain's words, as single writes report it.</summary>
    private static Error? Conflict(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation
        && exception.ConstraintName is not null && AppDbContext.ConstraintErrors.TryGetValue(exception.ConstraintName, out var error)
            ? error
            : null;
}
