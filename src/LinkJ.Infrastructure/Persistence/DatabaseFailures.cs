using System.Net.Sockets;
using LinkJ.Application.Abstractions;
using Npgsql;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// Tells a database that cannot answer (down, unreachable, too slow, out of connections) from every other failure: the
/// first is the service's state, not the request's fault, and is answered 503 with Retry-After; the others keep their
/// own mapping (a constraint names a conflict; anything unknown is a 500).
/// </summary>
public static class DatabaseFailures
{
    /// <summary>True when <paramref name="exception"/>, or an exception inside it (EF Core and Npgsql wrap them), says the database is unavailable.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is OperationCanceledException)
            {
                // The caller gave up (the client went away, the host is stopping): that says nothing of the database.
                return false;
            }

            var unavailable = current switch
            {
                DatabaseUnavailableException or TimeoutException or SocketException => true,
                PostgresException postgres => IsUnavailable(postgres.SqlState),
                // Not an error the server reported: the connection could not be opened, broke, or timed out.
                NpgsqlException npgsql => npgsql.IsTransient,
                AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
                _ => false,
            };
            if (unavailable)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="exception"/> says the database cannot be reached at all — a connection refused, a
    /// connect that timed out, a connection the server broke or ended, the server shutting down or starting, the database
    /// missing — which is what opens the <see cref="DatabaseCircuit"/>. A database that is reachable but busy is not:
    /// waiting too long for a pooled connection, a command that ran out its timeout, "too many clients". Those are
    /// answered 503 like an outage (<see cref="IsUnavailable(Exception)"/>) but open nothing, or three slow requests in a
    /// row would shed every client's requests while the database is up.
    /// </summary>
    public static bool IsConnectionFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var failure = current switch
            {
                OperationCanceledException => (bool?)false,
                DatabaseUnavailableException or SocketException => true,
                PostgresException postgres => IsUnavailable(postgres.SqlState) && postgres.SqlState != PostgresErrorCodes.TooManyConnections,
                // Npgsql's own: a pool that is exhausted, or a command that timed out while reading or writing on a working
                // connection, say the database is slow; any other I/O failure (a connect that timed out, a broken stream)
                // says it cannot be reached.
                NpgsqlException npgsql when npgsql.InnerException is TimeoutException =>
                    IsWhileConnecting(npgsql) || (!IsPoolExhausted(npgsql) && !IsCommandTimeout(npgsql)),
                NpgsqlException npgsql => npgsql.IsTransient,
                AggregateException aggregate => aggregate.InnerExceptions.Any(IsConnectionFailure),
                _ => null,
            };
            if (failure is { } known)
            {
                return known;
            }
        }

        return false;
    }

    /// <summary>
    /// A read or write that timed out while the connection was being opened (a server that accepts the TCP connection but
    /// never answers its start-up): Npgsql words it as a command's timeout, so where it was thrown tells them apart.
    /// </summary>
    private static bool IsWhileConnecting(NpgsqlException exception) =>
        exception.StackTrace is { } trace
        && (trace.Contains("NpgsqlConnector.Open", StringComparison.Ordinal) || trace.Contains("NpgsqlConnector.<Open>", StringComparison.Ordinal));

    private static bool IsPoolExhausted(NpgsqlException exception) =>
        exception.Message.StartsWith("The connection pool has been exhausted", StringComparison.Ordinal);

    private static bool IsCommandTimeout(NpgsqlException exception) =>
        exception.Message.StartsWith("Exception while reading from stream", StringComparison.Ordinal)
        || exception.Message.StartsWith("Exception while writing to stream", StringComparison.Ordinal);

    /// <summary>
    /// Server errors that say the server cannot serve us now: connection exceptions (class 08), shutting down or starting
    /// up (57P01-57P03), too many connections (53300), and a database that does not exist (3D000: misconfigured or not
    /// yet created — the service cannot answer either way).
    /// </summary>
    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.InvalidCatalogName;
}
