using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own, in a temp directory on a free port, that the test may stop, crash and start
/// again under a running service — which the suite's shared database must never be. Made the way scripts/lib/postgres.sh
/// makes clusters: <c>initdb</c> and <c>pg_ctl</c> from the server binaries, run as the <c>postgres</c> OS user when we
/// are root (the server refuses to run as root), listening on 127.0.0.1 with a socket directory of its own.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _baseDirectory;
    private readonly bool _durable;
    private bool _started;

    private PrivatePostgres(string baseDirectory, bool durable)
    {
        _baseDirectory = baseDirectory;
        _durable = durable;
    }

    /// <summary>The directory with <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>, or null when there is none.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    /// <summary>Why a test that needs a private cluster cannot run here, or null when it can.</summary>
    public static string? SkipReason => BinDirectory is null
        ? "No PostgreSQL server binaries (initdb, pg_ctl, postgres): set LINKJ_PG_BIN, put pg_config on PATH, or install them " +
          "(scripts/test.sh and .ci/run do, via pg_ensure_binaries)."
        : null;

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_baseDirectory, "data");

    private string SocketDirectory => Path.Combine(_baseDirectory, "socket");

    private string LogFile => Path.Combine(_baseDirectory, "postgres.log");

    /// <summary>
    /// Initialises and starts a cluster. <paramref name="durable"/>: PostgreSQL's defaults (fsync on, synchronous
    /// commit); otherwise fsync off and friends, for speed, as the suite's throwaway cluster runs.
    /// </summary>
    public static async Task<PrivatePostgres> StartNewAsync(bool durable)
    {
        if (BinDirectory is null)
        {
            throw new InvalidOperationException(SkipReason);
        }

        var baseDirectory = Path.Combine(Path.GetTempPath(), "linkj-private-pg." + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(baseDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(baseDirectory, (UnixFileMode)Convert.ToInt32("755", 8));
        }
        var postgres = new PrivatePostgres(baseDirectory, durable);
        try
        {
            await RunAsync("chown", ["postgres:", baseDirectory], asOwner: false, onlyAsRoot: true);
            await postgres.InitAsync();
            await postgres.StartAsync();
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>Creates a database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>Starts the server (again) on its port; returns when it accepts connections.</summary>
    public async Task StartAsync()
    {
        Directory.CreateDirectory(SocketDirectory);
        await RunAsync("chown", ["postgres:", SocketDirectory], asOwner: false, onlyAsRoot: true);
        for (var attempt = 1; ; attempt++)
        {
            if (!_started)
            {
                // A restart keeps the port the service was configured with.
                Port = FreePort();
            }

            var options = $"-p {Port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c max_connections=100";
            if (!_durable)
            {
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            }

            try
            {
                await RunAsync(Path.Combine(BinDirectory!, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"]);
                _started = true;
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && !_started)
            {
                // The free port was taken before the server bound it: try another.
            }
        }
    }

    /// <summary>
    /// Stops the server: <paramref name="crash"/> = false is a fast shutdown (sessions are ended, as when an operator
    /// stops the database); true is an immediate stop, which leaves no checkpoint and makes the next start recover from
    /// the WAL, as after a crash.
    /// </summary>
    public Task StopAsync(bool crash = false) =>
        RunAsync(Path.Combine(BinDirectory!, "pg_ctl"), ["-D", DataDirectory, "-m", crash ? "immediate" : "fast", "-w", "-t", "60", "stop"]);

    /// <summary>The server's log, for a failing test's message.</summary>
    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty;

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await StopAsync(crash: true);
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_baseDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task InitAsync()
    {
        string[] common = [Path.Combine(BinDirectory!, "initdb"), "-D", DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"];
        try
        {
            await RunAsync(common[0], [.. common[1..], "--locale=C.UTF-8"]);
        }
        catch (InvalidOperationException)
        {
            // initdb empties the directory when it fails, so a retry with the plain C locale is safe.
            await RunAsync(common[0], [.. common[1..], "--locale=C"]);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command (as the cluster owner when <paramref name="asOwner"/>); throws with its output when it fails.</summary>
    private static async Task RunAsync(string file, string[] arguments, bool asOwner = true, bool onlyAsRoot = false)
    {
        if (onlyAsRoot && !Environment.IsPrivilegedProcess)
        {
            return;
        }

        var start = new ProcessStartInfo
        {
            FileName = asOwner && Environment.IsPrivilegedProcess ? "runuser" : file,
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asOwner && Environment.IsPrivilegedProcess)
        {
            foreach (var argument in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static string? FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("LINKJ_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            // Debian's layout, highest major version first.
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var major) ? major : 0)
                .Select(dir => Path.Combine(dir, "bin")));
        }

        try
        {
            using var pgConfig = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (pgConfig is not null)
            {
                var bindir = pgConfig.StandardOutput.ReadToEnd().Trim();
                pgConfig.WaitForExit();
                if (pgConfig.ExitCode == 0)
                {
                    candidates.Add(bindir);
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on PATH.
        }

        // Anything on PATH (e.g. /usr/local/bin).
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));

        return candidates.FirstOrDefault(dir => new[] { "initdb", "pg_ctl", "postgres" }.All(tool => File.Exists(Path.Combine(dir, tool))));
    }
}

/// <summary>
/// A fact that needs a <see cref="PrivatePostgres"/>: skipped, with the reason, where no server binaries exist — on a
/// developer's machine only. Where the suite is expected to run everything (<c>CI=true</c>, or a database given by
/// <c>LINKJ_TEST_CONNECTION</c>, as scripts/test.sh and .ci/run give one), it is not skipped: it runs and fails with the
/// reason, so that a CI image without the binaries turns red instead of passing the fault tests quietly.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PrivatePostgres.SkipReason is { } reason && !MustRun)
        {
            Skip = reason;
        }
    }

    /// <summary>True where a skipped fault test would hide a broken environment.</summary>
    public static bool MustRun => MustRunIn(Environment.GetEnvironmentVariable);

    /// <summary><see cref="MustRun"/> for a given environment.</summary>
    public static bool MustRunIn(Func<string, string?> environment) =>
        string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrWhiteSpace(environment("LINKJ_TEST_CONNECTION"));
}
