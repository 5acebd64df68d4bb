namespace LinkJ.Infrastructure.Persistence;

/// <summary>The <c>Database</c> section of the configuration.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations when the service starts (turn off where a release job migrates once).</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;

    /// <summary>Add the source document's partnerships that are missing when the service starts.</summary>
    public bool SeedOnStartup { get; set; } = true;
}
