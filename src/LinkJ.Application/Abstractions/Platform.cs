namespace LinkJ.Application.Abstractions;

/// <summary>
/// The database as the request pipeline sees it: whether it can be used now (a circuit breaker, so that requests fail at
/// once while it is known to be down), and what a failure says of it. The Api's middleware and error handler use this;
/// Infrastructure implements it (<c>DatabaseCircuit</c>, <c>DatabaseFailures</c>), so the Api names no Npgsql type.
/// </summary>
public interface IDatabaseAvailability
{
    /// <summary>How long a client is told to wait (Retry-After) when the database cannot answer.</summary>
    int RetryAfterSeconds { get; }

    /// <summary>False: the database is known to be down, fail at once. True with <paramref name="probe"/>: this request tries it again and must report how it went.</summary>
    bool TryEnter(out bool probe);

    /// <summary>A request got past the database.</summary>
    void Succeeded(bool probe);

    /// <summary>A request could not reach the database.</summary>
    void Failed(Exception exception);

    /// <summary>A probe ended without saying anything of the database.</summary>
    void Abandoned();

    /// <summary>True when <paramref name="exception"/> says the database cannot answer (down, unreachable, too slow, out of connections): a 503.</summary>
    bool IsUnavailable(Exception exception);

    /// <summary>True when <paramref name="exception"/> says the database cannot be reached at all, which opens the circuit.</summary>
    bool IsConnectionFailure(Exception exception);
}

/// <summary>Thrown while the database is known to be unavailable; answered 503 with Retry-After.</summary>
public sealed class DatabaseUnavailableException() : Exception("The database is unavailable.");

/// <summary>The version of the data: moves with every committed write. The public read cache keys its ETags on it.</summary>
public interface IDataVersion
{
    Task<long> CurrentAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Request counters shared by every replica (a fixed window of <see cref="SharedRequestCounters.Window"/>), so a client has
/// one budget however many replicas serve it.
/// </summary>
public interface ISharedRequestCounters
{
    /// <summary>Counts <paramref name="permits"/> requests of <paramref name="partition"/> and returns the window's count and the seconds left in it.</summary>
    ValueTask<SharedRequestCounters.Hit> HitAsync(string partition, int permits, CancellationToken cancellationToken);

    /// <summary>The count of <paramref name="partition"/> in the current window as this replica last knew it.</summary>
    int Peek(string partition);
}

/// <summary>The window the shared request counters count in.</summary>
public static class SharedRequestCounters
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public readonly record struct Hit(int Count, double SecondsLeft);
}

/// <summary>
/// Which database a request's reads use: the primary, unless the public-read cache moves them to a standby that has
/// replayed at least the data version the response is keyed on (read-your-writes across replicas).
/// </summary>
public interface IReadRouting
{
    /// <summary>Moves this request's reads to the standby if it has replayed change <paramref name="minimumPosition"/>; true if so.</summary>
    Task<bool> UseStandbyAsync(long minimumPosition, CancellationToken cancellationToken);
}
