namespace LinkJ.Infrastructure.Persistence;

/// <summary>The <c>Database</c> section of the configuration.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations when the service starts (turn off where a release job migrates once).</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;

    /// <summary>Add the source document's partnerships that are missing when the service starts.</summary>
    public bool SeedOnStartup { get; set; } = true;

    /// <summary>
    /// How long opening a connection (or waiting for one from the pool) may take, unless the connection string sets
    /// <c>Timeout</c>: an unreachable database costs a request this long at most.
    /// </summary>
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>How long one SQL command may run, unless the connection string sets <c>Command Timeout</c>.</summary>
    public int CommandTimeoutSeconds { get; set; } = 15;

    /// <summary>How many requests in a row must find the database unavailable before requests fail fast.</summary>
    public int FailuresBeforeFailFast { get; set; } = 3;

    /// <summary>
    /// Once the database has been found unavailable, requests are answered 503 at once for this long; then one request
    /// tries the database again (and a healthy readiness check closes the circuit at once).
    /// </summary>
    public double FailFastSeconds { get; set; } = 1;

    /// <summary>
    /// How long <c>/health/ready</c> reuses the database's healthy answer (reachable, migrated) before asking again: probes from
    /// every kubelet, load balancer and monitor then cost at most one query per replica in this period.
    /// </summary>
    public double ReadinessCacheSeconds { get; set; } = 2;

    /// <summary>The <c>Retry-After</c> a 503 for an unavailable database carries.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// How often the service numbers committed changes that their writer left without a feed position (it stopped
    /// between its commit and numbering them, ADR 0030). Writers number their own changes before answering; this only
    /// bounds how long such a leftover stays out of the feed. 0 turns the sweep off.
    /// </summary>
    public double ChangeSweepSeconds { get; set; } = 1;
}
