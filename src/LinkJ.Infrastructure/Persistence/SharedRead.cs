namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// Lets concurrent callers share one run of a query without ever getting an answer older than their call: a caller joins
/// the next run to <em>start</em>, never one already under way, so what it gets was read after it asked. While a run is in
/// flight, everyone who arrives waits for the one run that starts when it ends. Under load that is one query per round trip
/// instead of one per caller; a lone caller runs the query at once, as if nothing were shared.
/// </summary>
/// <remarks>
/// A run is not cancelled by any one caller (each stops waiting on its own token); a run that fails fails every caller that
/// joined it, and the next caller starts a new run.
/// </remarks>
public sealed class SharedRead<T>(Func<Task<T>> query)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource<T>? _next;
    private bool _running;
    private long _runs;

    /// <summary>The number of times the query ran (for tests and diagnostics).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    public Task<T> ReadAsync(CancellationToken cancellationToken)
    {
        Task<T> answer;
        bool start;
        lock (_lock)
        {
            _next ??= new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            answer = _next.Task;
            start = !_running;
            _running = true;
        }

        if (start)
        {
            _ = RunAsync();
        }

        return answer.IsCompleted || !cancellationToken.CanBeCanceled ? answer : answer.WaitAsync(cancellationToken);
    }

    /// <summary>Runs the query for everyone waiting, again while callers keep arriving, and stops when none are left.</summary>
    private async Task RunAsync()
    {
        while (true)
        {
            TaskCompletionSource<T>? waiting;
            lock (_lock)
            {
                waiting = _next;
                _next = null;
                if (waiting is null)
                {
                    _running = false;
                    return;
                }
            }

            Interlocked.Increment(ref _runs);
            try
            {
                waiting.SetResult(await query());
            }
            catch (Exception exception)
            {
                waiting.SetException(exception);
            }
        }
    }
}
