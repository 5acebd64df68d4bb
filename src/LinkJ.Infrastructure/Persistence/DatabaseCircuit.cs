using LinkJ.Application.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// A circuit breaker in front of the database. Closed, every request uses the database. When
/// <see cref="DatabaseOptions.FailuresBeforeFailFast"/> requests in a row find the database unavailable (a success in
/// between starts the count again, so one slow command that timed out among working ones does not trip it), it opens:
/// the connection pool is cleared (its connections are broken), and for <see cref="DatabaseOptions.FailFastSeconds"/>
/// requests fail at once instead of each waiting for a connection that will not come. Then the next request is let
/// through as a probe while the others still fail fast; when it gets past the database, or a readiness check finds the
/// database healthy, the circuit closes and the service answers again: no restart, no operator.
/// </summary>
public sealed partial class DatabaseCircuit(NpgsqlDataSource dataSource, TimeProvider time, IOptions<DatabaseOptions> options, ILogger<DatabaseCircuit> logger) : IDatabaseAvailability
{
    private readonly Lock _lock = new();
    private volatile bool _open;
    private bool _probing;
    private DateTimeOffset _retryAt;
    private DateTimeOffset _downSince;
    private int _failuresInARow;

    /// <summary>True while the database is known to be unavailable.</summary>
    public bool IsOpen => _open;

    /// <summary>
    /// May a request use the database now? False: the database is known to be down, fail at once. True with
    /// <paramref name="probe"/>: this request is the one trying it again, and must report how it went.
    /// </summary>
    public bool TryEnter(out bool probe)
    {
        probe = false;
        if (!_open)
        {
            return true;
        }

        lock (_lock)
        {
            if (!_open)
            {
                return true;
            }

            if (_probing || time.GetUtcNow() < _retryAt)
            {
                return false;
            }

            _probing = true;
            probe = true;
            return true;
        }
    }

    /// <summary>
    /// A request got past the database. Closed, that restarts the count of failures; open, only a probe's success (or a
    /// readiness check's, <paramref name="probe"/> true) closes the circuit — a request that began before the outage
    /// and ended well says nothing of the database now.
    /// </summary>
    public void Succeeded(bool probe)
    {
        if (!_open && Volatile.Read(ref _failuresInARow) == 0)
        {
            return;
        }

        lock (_lock)
        {
            _failuresInARow = 0;
            if (!_open || !probe)
            {
                return;
            }

            _open = false;
            _probing = false;
            LogRecovered(logger, (time.GetUtcNow() - _downSince).TotalSeconds);
        }
    }

    /// <summary>The database was found unavailable: count it, and open the circuit (again) for the fail-fast period once enough failed in a row.</summary>
    public void Failed(Exception? exception = null)
    {
        var opened = false;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!_open)
            {
                if (++_failuresInARow < options.Value.FailuresBeforeFailFast)
                {
                    return;
                }

                _open = true;
                _downSince = now;
                opened = true;
            }

            _probing = false;
            _retryAt = now + TimeSpan.FromSeconds(options.Value.FailFastSeconds);
        }

        if (opened)
        {
            // Pooled connections died with the server (or the path to it): never hand them out again.
            dataSource.Clear();
            LogOpened(logger, options.Value.FailFastSeconds, exception?.GetType().Name ?? "unavailable", exception?.Message ?? string.Empty);
        }
    }

    /// <summary>A probe that ended without saying anything of the database (the client went away, the request was invalid): let the next request probe.</summary>
    public void Abandoned()
    {
        lock (_lock)
        {
            _probing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({ExceptionType}: {Reason}); requests get 503 and the database is tried again every {Seconds} s.")]
    private static partial void LogOpened(ILogger logger, double seconds, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database available again after {Seconds:0.0} s.")]
    private static partial void LogRecovered(ILogger logger, double seconds);

    /// <inheritdoc/>
    public int RetryAfterSeconds => options.Value.RetryAfterSeconds;

    void IDatabaseAvailability.Failed(Exception exception) => Failed(exception);

    /// <inheritdoc/>
    public bool IsUnavailable(Exception exception) => DatabaseFailures.IsUnavailable(exception);

    /// <inheritdoc/>
    public bool IsConnectionFailure(Exception exception) => DatabaseFailures.IsConnectionFailure(exception);
}
