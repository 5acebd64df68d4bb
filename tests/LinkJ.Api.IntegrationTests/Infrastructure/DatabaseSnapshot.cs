using Npgsql;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// What "the request changed nothing" is checked against: every table of the service's schema, each as its row count and
/// an md5 of all its rows (as JSON, in a stable order), one line per table so that a failure names the tables that moved.
/// The tables are read from the catalogue each time, so a table added by a later migration is covered without a change
/// here.
/// </summary>
/// <remarks>
/// Left out, because a refused request is meant to change them: <c>rate_limit_counters</c> (every request counts
/// towards its client's limit, refused or not; that is what rate limiting is) and the <c>last_used_at</c> column of
/// <c>api_keys</c> (authentication records, at most once a minute, that a key was presented, before authorization can
/// refuse the request). Everything else — <c>__ef_migrations_history</c> included, which nothing may change at run
/// time — is compared.
/// </remarks>
public static class DatabaseSnapshot
{
    /// <summary>Tables a refused request may legitimately change (see the remarks).</summary>
    public static readonly IReadOnlySet<string> Bookkeeping = new HashSet<string>(StringComparer.Ordinal) { "rate_limit_counters" };

    /// <summary>Columns a refused request may legitimately change, removed from each row before hashing.</summary>
    private const string IgnoredColumns = "'last_used_at'";

    /// <summary>One query that returns the snapshot as text: "table rows=N md5=…" per line, tables in name order.</summary>
    public static async Task<string> SqlAsync(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var table = reader.GetString(0);
                if (!Bookkeeping.Contains(table))
                {
                    tables.Add(table);
                }
            }
        }

        // The service's tables must be there: a snapshot of an empty or wrong schema would compare equal forever.
        foreach (var expected in new[] { "agreements", "partners", "changes", "idempotency_keys", "api_keys" })
        {
            if (!tables.Contains(expected))
            {
                throw new InvalidOperationException($"The snapshot found no table {expected} in the public schema ({string.Join(", ", tables)}).");
            }
        }

        // Tallies are kept in stripes that the sweep folds into one row per key at any moment (ADR 0033): what a
        // request may not change is each key's total, so those tables are compared by their sums per key.
        var perTable = tables.Select(t => IsStriped(t)
            ? $"(SELECT '{t} keys=' || count(*) || ' md5=' || coalesce(md5(string_agg(r.row, '|' ORDER BY r.row)), '-') " +
              $"FROM (SELECT k || '=' || sum(n) AS row FROM (SELECT (to_jsonb(t) - 'stripe' - 'count')::text AS k, t.count AS n " +
              $"FROM public.\"{t}\" t) s GROUP BY k) r)"
            : $"(SELECT '{t} rows=' || count(*) || ' md5=' || coalesce(md5(string_agg(r.row, '|' ORDER BY r.row)), '-') " +
              $"FROM (SELECT (to_jsonb(t) - {IgnoredColumns})::text AS row FROM public.\"{t}\" t) r)");
        return "SELECT concat_ws(E'\\n', " + string.Join(", ", perTable) + ")";
    }

    private static bool IsStriped(string table) =>
        table.EndsWith("_tally_stripes", StringComparison.Ordinal) || table is "partnership_day_tallies" or "partnership_month_tallies" or "partnership_year_tallies";

    /// <summary>The snapshot of the database now.</summary>
    public static async Task<string> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(await SqlAsync(connection), connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The lines of <paramref name="after"/> that differ from <paramref name="before"/>: the tables that changed.</summary>
    public static string Changes(string before, string after) =>
        string.Join("; ", after.Split('\n').Except(before.Split('\n'), StringComparer.Ordinal));
}
