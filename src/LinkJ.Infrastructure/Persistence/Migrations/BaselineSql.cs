using System.Reflection;

namespace LinkJ.Infrastructure.Persistence.Migrations;

/// <summary>
/// The schema objects the EF model does not describe (functions, triggers, views, sequences, partial and trigram
/// indexes, the unlogged rate-limit table), as <c>pg_dump</c> printed them when the migrations were squashed into
/// one baseline (ADR 0037). Later migrations change them with their own SQL, as before.
/// </summary>
internal static class BaselineSql
{
    public static string Up => Read("Baseline.sql");

    public static string Down => Read("Baseline.down.sql");

    private static string Read(string name)
    {
        var assembly = typeof(BaselineSql).Assembly;
        using var stream = assembly.GetManifestResourceStream($"LinkJ.Infrastructure.Persistence.Migrations.{name}")
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
