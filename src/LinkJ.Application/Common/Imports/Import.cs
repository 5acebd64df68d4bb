namespace LinkJ.Application.Common.Imports;

/// <summary>How an import commits: everything or nothing (the default), or each row that passes on its own.</summary>
public enum ImportMode
{
    Atomic,
    PerRow,
}

/// <summary>
/// Which record a row is: by the client's external reference (source and id), as <c>PUT …/by-ref/{source}/{externalId}</c>
/// does, or else by the service's own id (a row of an export.csv).
/// </summary>
public sealed record ImportKey(string? Source, string? ExternalId, Guid? Id)
{
    public bool HasReference => Source is not null || ExternalId is not null;
}

/// <summary>What became of one row.</summary>
/// <param name="Row">The row's number: the line of a JSON lines body, the data row of a CSV file (1 = the first after the header).</param>
/// <param name="Id">The record's id (none for a row that failed, or that a dry run would create).</param>
/// <param name="Outcome">created, updated, unchanged or failed.</param>
/// <param name="Errors">For a failed row: the messages for each field at fault.</param>
public sealed record ImportRowResult(int Row, Guid? Id, string Outcome, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>The outcome of an import: counts, and each row's outcome (only the failed rows when there are many).</summary>
public sealed record ImportResult(
    bool DryRun,
    string Mode,
    int Rows,
    int Created,
    int Updated,
    int Unchanged,
    int Failed,
    IReadOnlyList<ImportRowResult> Results,
    bool ResultsTruncated);

/// <summary>An atomic import with at least one bad row: nothing was written. The API answers 422 with the errors by row and field.</summary>
public sealed class ImportRejectedException(string message, IReadOnlyDictionary<string, string[]> errors) : Exception(message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

public static class ImportLimits
{
    /// <summary>The most rows one import takes.</summary>
    public const int MaxRows = 50_000;

    /// <summary>Up to this many rows, the response lists every row; above it, only the failed ones (at most this many).</summary>
    public const int MaxListedRows = 1_000;

    /// <summary>The most row errors one problem lists (the problem's errors are bounded).</summary>
    public const int MaxProblemErrors = 100;
}

/// <summary>Collects the outcomes and errors of the rows of one import and turns them into its result or its problem.</summary>
public sealed class ImportLedger(int rows, ImportMode mode, bool dryRun)
{
    private readonly SortedDictionary<int, Dictionary<string, List<string>>> _errors = [];
    private readonly SortedDictionary<int, ImportRowResult> _results = [];

    public bool HasErrors => _errors.Count > 0;

    public bool Failed(int row) => _errors.ContainsKey(row);

    public void Error(int row, string field, string message)
    {
        if (!_errors.TryGetValue(row, out var byField))
        {
            _errors[row] = byField = [];
        }

        if (!byField.TryGetValue(field, out var messages))
        {
            byField[field] = messages = [];
        }

        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }

    public void Errors(int row, IReadOnlyDictionary<string, string[]>? errors)
    {
        foreach (var (field, messages) in errors ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                Error(row, field, message);
            }
        }
    }

    public void Outcome(int row, Guid? id, string outcome) => _results[row] = new ImportRowResult(row, id, outcome);

    /// <summary>The problem of an atomic import that had bad rows.</summary>
    public ImportRejectedException Rejection()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (row, byField) in _errors)
        {
            foreach (var (field, messages) in byField)
            {
                if (errors.Count == ImportLimits.MaxProblemErrors)
                {
                    break;
                }

                errors[field.Length == 0 ? $"rows[{row}]" : $"rows[{row}].{field}"] = [.. messages];
            }
        }

        var listed = errors.Count < _errors.Sum(e => e.Value.Count) ? $" The first {errors.Count} errors are listed." : string.Empty;
        return new ImportRejectedException(
            $"{_errors.Count} of {rows} rows have errors, so nothing was {(dryRun ? "checked as written" : "written")} (mode=atomic). " +
            $"See errors, by row (rows[n]: the n-th row) and field.{listed}", errors);
    }

    public ImportResult Result()
    {
        foreach (var (row, byField) in _errors)
        {
            _results[row] = new ImportRowResult(row, null, "failed", byField.ToDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal));
        }

        var all = _results.Values.ToList();
        var truncated = all.Count > ImportLimits.MaxListedRows;
        var listed = truncated ? [.. all.Where(r => r.Outcome == "failed").Take(ImportLimits.MaxListedRows)] : all;
        return new ImportResult(
            dryRun,
            mode == ImportMode.Atomic ? "atomic" : "per-row",
            rows,
            all.Count(r => r.Outcome == "created"),
            all.Count(r => r.Outcome == "updated"),
            all.Count(r => r.Outcome == "unchanged"),
            all.Count(r => r.Outcome == "failed"),
            listed,
            truncated);
    }
}
