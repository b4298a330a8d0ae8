namespace Conversations.Store;

/// <summary>
/// Runs an initialization once, on the first call that needs it. A failed attempt is not remembered:
/// the next caller tries again, so a database that was briefly unreachable at start-up does not leave
/// the store broken for the life of the process.
/// </summary>
internal sealed class OneTimeInitialization(Func<CancellationToken, Task> initialize)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool done;

    public ValueTask EnsureAsync(CancellationToken cancellationToken) =>
        done ? ValueTask.CompletedTask : new ValueTask(RunAsync(cancellationToken));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!done)
            {
                await initialize(cancellationToken).ConfigureAwait(false);
                done = true;
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
