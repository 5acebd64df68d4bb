using LinkJ.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// The standby that public reads may use (<c>ConnectionStrings:LinkJRead</c>, e.g. a streaming replica or an operator's
/// read-only service). When it fails it is left alone for <see cref="RetryAfter"/>: reads go to the primary meanwhile,
/// without waiting on it again.
/// </summary>
public sealed partial class StandbyDatabase(
    IDbContextFactory<AppDbContext> contexts, NpgsqlDataSource dataSource, TimeProvider time, ILogger<StandbyDatabase> logger) : IDisposable
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private long _downUntil;
    private long _readsServed;

    /// <summary>How many requests have read from the standby so far (the route taken, not merely tried).</summary>
    public long ReadsServed => Interlocked.Read(ref _readsServed);

    public bool IsAvailable => time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _downUntil);

    internal AppDbContext CreateContext() => contexts.CreateDbContext();

    internal void CountRead() => Interlocked.Increment(ref _readsServed);

    internal void MarkDown(Exception exception)
    {
        Interlocked.Exchange(ref _downUntil, (time.GetUtcNow() + RetryAfter).UtcTicks);
        dataSource.Clear(); // its idle connections are likely broken too (a restarted standby)
        LogDown(logger, RetryAfter.TotalSeconds, exception);
    }

    public void Dispose() => dataSource.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The read standby failed; reads go to the primary for {Seconds} s.")]
    private static partial void LogDown(ILogger logger, double seconds, Exception exception);
}

/// <summary>
/// Which database a request's reads use. The primary, unless the public-read cache asks for the standby with the data
/// version it read from the primary (<see cref="UseStandbyAsync"/>) and the standby has replayed at least that change:
/// then the request's queries run on that very standby connection, so what they read is never older than the version
/// the response's ETag and cached body are keyed on, nor older than any write committed before the request began
/// (read-your-writes, across replicas). Commands and everything outside that path use the primary.
/// </summary>
public sealed class ReadRoute(StandbyDatabase? standby, ICurrentActor actor, VocabularyCache vocabulary) : IReadRouting, IAsyncDisposable
{
    private AppDbContext? _standby;

    /// <summary>The standby context this request reads from, or null for the primary. The route returns it to its pool
    /// when the request's scope ends (the scope's own Dispose calls on a leased context do nothing).</summary>
    public AppDbContext? Standby => _standby;

    /// <summary>Moves this request's reads to the standby if it has replayed change <paramref name="minimumPosition"/>; true if so.</summary>
    public async Task<bool> UseStandbyAsync(long minimumPosition, CancellationToken cancellationToken)
    {
        if (_standby is not null)
        {
            return true;
        }

        if (standby is null || !standby.IsAvailable)
        {
            return false;
        }

        var context = standby.CreateContext();
        context.Use(actor, vocabulary);
        try
        {
            // The connection stays open for the request: its later queries see at least what this one saw.
            await context.Database.OpenConnectionAsync(cancellationToken);
            await using var command = ((NpgsqlConnection)context.Database.GetDbConnection()).CreateCommand();
            command.CommandText = DataVersion.Sql;
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! >= minimumPosition)
            {
                _standby = context;
                standby.CountRead();
                return true;
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            standby.MarkDown(exception);
        }
        finally
        {
            if (_standby != context)
            {
                await ReleaseAsync(context); // behind, failed or cancelled: back to the pool
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_standby is { } context)
        {
            _standby = null;
            await ReleaseAsync(context);
        }
    }

    private static async Task ReleaseAsync(AppDbContext context)
    {
        try
        {
            await context.Database.CloseConnectionAsync();
        }
        catch (NpgsqlException)
        {
            // a broken connection: nothing to close
        }

        await context.ReturnAsync();
    }
}
