using System.Net.Sockets;
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
    /// Server errors that say the server cannot serve us now: connection exceptions (class 08), shutting down or starting
    /// up (57P01-57P03), too many connections (53300), and a database that does not exist (3D000: misconfigured or not
    /// yet created — the service cannot answer either way).
    /// </summary>
    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.InvalidCatalogName;
}

/// <summary>Thrown instead of trying the database while it is known to be unavailable (see <see cref="DatabaseCircuit"/>).</summary>
public sealed class DatabaseUnavailableException() : Exception("The database is unavailable.");
