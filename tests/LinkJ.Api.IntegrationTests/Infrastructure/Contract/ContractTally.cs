using System.Globalization;

namespace LinkJ.Api.IntegrationTests.Infrastructure.Contract;

/// <summary>
/// Counts the responses held against the document in this test run, and writes the figures to
/// <c>artifacts/contract/response-validation.txt</c> when the run ends.
/// </summary>
public static class ContractTally
{
    private static long _validated;
    private static long _violations;
    private static long _undocumented;

    static ContractTally() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();

    public static long Validated => Interlocked.Read(ref _validated);

    /// <summary>Counts one checked response: null violations means the document has no operation for it.</summary>
    public static void Record(IReadOnlyList<string>? violations)
    {
        if (violations is null)
        {
            Interlocked.Increment(ref _undocumented);
            return;
        }

        Interlocked.Increment(ref _validated);
        if (violations.Count > 0)
        {
            Interlocked.Increment(ref _violations);
        }
    }

    /// <summary>Writes the figures so far (atomically: a run cut short never leaves an empty file).</summary>
    public static void Write()
    {
        try
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LinkJ.Api.sln")))
            {
                directory = directory.Parent;
            }

            if (directory is null)
            {
                return;
            }

            var target = Path.Combine(directory.FullName, "artifacts", "contract");
            Directory.CreateDirectory(target);
            var temporary = Path.Combine(target, $"response-validation.{Environment.ProcessId}.tmp");
            File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture,
                $"{Validated} responses validated against the OpenAPI document, {Interlocked.Read(ref _violations)} broke it, " +
                $"{Interlocked.Read(ref _undocumented)} to requests the document has no operation for (unchecked)\n"));
            File.Move(temporary, Path.Combine(target, "response-validation.txt"), overwrite: true);
        }
        catch (IOException)
        {
            // The figures are a report, not a result: never fail the run over them.
        }
    }
}
