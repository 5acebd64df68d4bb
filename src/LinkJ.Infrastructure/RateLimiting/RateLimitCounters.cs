using LinkJ.Application.Abstractions;
using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using LinkJ.Infrastructure.Persistence;
using Npgsql;

namespace LinkJ.Infrastructure.RateLimiting;

/// <summary>
/// Request counters shared by every replica. The authoritative count is one row per client (an address or an API key)
/// in an UNLOGGED table on the primary; a client's window starts with its first request and lasts <see cref="Window"/>
/// by the database's clock. Each replica decides locally, from the count it last read plus the requests it has served
/// since, and adds its requests to the row every <see cref="FlushInterval"/>, reading the total back. A client's first
/// request on a replica in a window is counted in the database at once, so a budget spent on one replica is refused by
/// the next; a client served by several replicas at the same time may pass its budget by what the others served in one
/// interval. The cost is one batched statement per interval, not one per request. UNLOGGED: no WAL, nothing
/// replicated, emptied after a crash — counters, not records.
/// </summary>
public sealed partial class RateLimitCounters(NpgsqlDataSource dataSource, TimeProvider time, ILogger<RateLimitCounters> logger) : BackgroundService, ISharedRequestCounters
{
    public static readonly TimeSpan Window = SharedRequestCounters.Window;

    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private const string AddSql = """
        INSERT INTO rate_limit_counters AS c (partition, window_start, count)
        SELECT p, now(), n FROM unnest($1::text[], $2::int[]) AS t(p, n)
        ON CONFLICT (partition) DO UPDATE SET
          window_start = CASE WHEN c.window_start <= now() - interval '1 minute' THEN now() ELSE c.window_start END,
          count = CASE WHEN c.window_start <= now() - interval '1 minute' THEN excluded.count ELSE c.count + excluded.count END
        RETURNING partition, count, extract(epoch FROM c.window_start + interval '1 minute' - now())::float8
        """;

    private sealed class Entry
    {
        public int Shared;     // the database's count when last read, this replica's flushed requests included
        public int Flushing;   // requests being added to the database right now
        public int Pending;    // requests served since, not yet added
        public DateTimeOffset WindowEnd;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flush = new(1, 1);

    /// <summary>The client's requests in its current window (this one included) and the seconds until the window ends.</summary>

    /// <summary>Counts one request of <paramref name="partition"/> unless it is over <paramref name="permits"/> (a refused request is not counted).</summary>
    public async ValueTask<SharedRequestCounters.Hit> HitAsync(string partition, int permits, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(partition, out var entry))
        {
            lock (entry)
            {
                if (now < entry.WindowEnd)
                {
                    var count = entry.Shared + entry.Flushing + entry.Pending + 1;
                    if (count <= permits)
                    {
                        entry.Pending++;
                    }

                    return new SharedRequestCounters.Hit(count, (entry.WindowEnd - now).TotalSeconds);
                }
            }
        }

        // The client's first request on this replica in a window: counted in the database at once. A database that is
        // unavailable is left to the caller: the request needs it anyway, so it fails now (503, and the circuit opens)
        // rather than waiting out a second connect timeout on its next query.
        int shared;
        double secondsLeft;
        try
        {
            (shared, secondsLeft) = (await AddAsync([partition], [1], cancellationToken))[partition];
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !DatabaseFailures.IsUnavailable(exception))
        {
            LogUncounted(logger, exception);
            (shared, secondsLeft) = (1, Window.TotalSeconds); // counted here alone until the database answers
        }

        entry = _entries.GetOrAdd(partition, _ => new Entry());
        lock (entry)
        {
            Update(entry, shared, time.GetUtcNow().AddSeconds(secondsLeft));
            return new SharedRequestCounters.Hit(entry.Shared + entry.Flushing + entry.Pending, secondsLeft);
        }
    }

    /// <summary>
    /// The count of <paramref name="partition"/> in its current window as this replica knows it, without counting: what
    /// it counted itself and the shared total it last read back; 0 when it has counted nothing for it in this window.
    /// </summary>
    public int Peek(string partition)
    {
        if (!_entries.TryGetValue(partition, out var entry))
        {
            return 0;
        }

        lock (entry)
        {
            return time.GetUtcNow() < entry.WindowEnd ? entry.Shared + entry.Flushing + entry.Pending : 0;
        }
    }

    /// <summary>Adds the requests served since the last flush to the database and reads the totals back.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flush.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var batch = new Dictionary<string, (Entry Entry, int Delta)>(StringComparer.Ordinal);
            foreach (var (partition, entry) in _entries)
            {
                lock (entry)
                {
                    if (entry.Pending > 0)
                    {
                        batch[partition] = (entry, entry.Pending);
                        entry.Flushing += entry.Pending;
                        entry.Pending = 0;
                    }
                    else if (entry.Flushing == 0 && now >= entry.WindowEnd)
                    {
                        _entries.TryRemove(partition, out _);
                    }
                }
            }

            if (batch.Count == 0)
            {
                return;
            }

            IReadOnlyDictionary<string, (int Count, double SecondsLeft)>? totals = null;
            try
            {
                totals = await AddAsync([.. batch.Keys], [.. batch.Values.Select(b => b.Delta)], cancellationToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogUncounted(logger, exception);
            }

            now = time.GetUtcNow();
            foreach (var (partition, (entry, delta)) in batch)
            {
                lock (entry)
                {
                    entry.Flushing -= delta;
                    if (totals is not null && totals.TryGetValue(partition, out var total))
                    {
                        Update(entry, total.Count, now.AddSeconds(total.SecondsLeft));
                    }
                    else
                    {
                        entry.Shared += delta; // kept locally until the database answers again
                    }
                }
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    /// <summary>Forgets clients whose window ended; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM rate_limit_counters WHERE window_start <= now() - interval '1 minute'");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>A total read from the database: a later window replaces the entry's, the same window only grows.</summary>
    private static void Update(Entry entry, int count, DateTimeOffset windowEnd)
    {
        if (windowEnd > entry.WindowEnd + TimeSpan.FromSeconds(1))
        {
            entry.Shared = count;
            entry.Pending = 0; // requests of the window that ended
            entry.WindowEnd = windowEnd;
        }
        else
        {
            entry.Shared = Math.Max(entry.Shared, count);
        }
    }

    private async Task<IReadOnlyDictionary<string, (int Count, double SecondsLeft)>> AddAsync(string[] partitions, int[] deltas, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AddSql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = partitions });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = deltas });
        var totals = new Dictionary<string, (int, double)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals[reader.GetString(0)] = (reader.GetInt32(1), reader.GetDouble(2));
        }

        return totals;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limits counted on this replica alone: the database did not answer.")]
    private static partial void LogUncounted(ILogger logger, Exception exception);
}
