namespace Conversations.ApiHost.Errors;

/// <summary>
/// Waits for a single-shot turn while checking, every <c>interval</c>, that its grain is still answering it.
/// A turn may run for minutes, so its call is allowed 30 minutes. But Orleans 10.4 does not fail a client's
/// request that a gateway forwarded to a silo which then died (dotnet/orleans#10165): the request is lost and
/// the client would wait out the whole 30 minutes. When the grain says twice in a row that it is not answering
/// the call (or cannot be asked), the call is cancelled and the request ends as a cluster failure (503), which
/// the SDKs retry. A reply that is merely on its way arrives long before the second check.
/// </summary>
public static class WatchedCall
{
    /// <summary>Checks in a row that must find the call unanswered before it counts as lost.</summary>
    public const int MissesToGiveUp = 2;

    /// <summary>Runs <paramref name="call"/>, checking every <paramref name="interval"/>; a check may take as long.</summary>
    public static Task<T> Run<T>(
        Func<CancellationToken, Task<T>> call, Func<CancellationToken, Task<bool>> isAnswering, TimeSpan interval, CancellationToken aborted) =>
        Run(call, isAnswering, token => Task.Delay(interval, token), interval, aborted);

    /// <summary>Runs <paramref name="call"/>, checking whenever <paramref name="untilNextCheck"/> completes.</summary>
    public static async Task<T> Run<T>(
        Func<CancellationToken, Task<T>> call,
        Func<CancellationToken, Task<bool>> isAnswering,
        Func<CancellationToken, Task> untilNextCheck,
        TimeSpan checkTimeout,
        CancellationToken aborted)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var answer = call(cancel.Token);
        var misses = 0;
        while (true)
        {
            var waited = await Task.WhenAny(answer, untilNextCheck(aborted));
            if (waited == answer || aborted.IsCancellationRequested)
            {
                return await answer;
            }

            misses = await Answering(isAnswering, checkTimeout) ? 0 : misses + 1;
            if (misses >= MissesToGiveUp)
            {
                // Observed here so that its late failure (the cancellation, or the 30-minute timeout) is not left unobserved.
                _ = answer.ContinueWith(static lost => _ = lost.Exception, TaskContinuationOptions.OnlyOnFaulted);
                await cancel.CancelAsync();
                throw new SiloUnavailableException("The grain answering this turn stopped answering it (its silo went away).");
            }
        }
    }

    /// <summary>Whether the grain says it is answering; a check that fails or takes longer than <paramref name="timeout"/> says no.</summary>
    private static async Task<bool> Answering(Func<CancellationToken, Task<bool>> isAnswering, TimeSpan timeout)
    {
        using var giveUp = new CancellationTokenSource(timeout);
        try
        {
            return await isAnswering(giveUp.Token).WaitAsync(timeout);
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException || ClusterFailures.IsTransient(exception))
        {
            return false;
        }
    }
}
