namespace Conversations.Grains.Conversations;

/// <summary>
/// The turns running on this silo, so a stopping silo can let them finish before it hands its
/// conversations over, and end those that take too long the way a departing client would: the upstream
/// request cancelled, the partial reply kept as incomplete.
/// </summary>
public sealed class RunningTurns : IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _ended = new();
    private TaskCompletionSource _idle = Completed();
    private int _count;

    /// <summary>Set once the silo is stopping: new turns are refused so their clients retry elsewhere.</summary>
    public bool Stopping { get; private set; }

    /// <summary>Cancelled when the drain time has run out and running turns must end now.</summary>
    public CancellationToken Ended => _ended.Token;

    public void Enter()
    {
        lock (_lock)
        {
            if (_count++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Exit()
    {
        lock (_lock)
        {
            if (--_count == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>Waits up to <paramref name="drain"/> for running turns, ends the rest, and waits up to <paramref name="settle"/> for them to store what they had.</summary>
    public async Task DrainAsync(TimeSpan drain, TimeSpan settle, CancellationToken cancellationToken)
    {
        Stopping = true;
        await WhenIdle(drain, cancellationToken);
        await _ended.CancelAsync();
        await WhenIdle(settle, cancellationToken);
    }

    public void Dispose() => _ended.Dispose();

    private async Task WhenIdle(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task idle;
        lock (_lock)
        {
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Out of time; the caller moves on.
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
