namespace Conversations.ApiHost.Errors;

/// <summary>
/// Waits for a single-shot turn while checking, every <c>interval</c>, that its grain is still answering it.
/// A turn may run for minutes, so its call is allowed 30 minutes. But Orleans 10.4 does not fail a client's
/// request that a gateway forwarded to a silo which then died (dotnet/orleans#10165): the request is lost and
/// the client would wait out the whole 30 minutes. When the grain itself says twice in a row that it is not
/// answering the call (a check that fails or is slow says nothing either way: a loaded cluster must not lose
/// healthy turns), the call is cancelled and the request ends as a cluster failure (503), which the SDKs retry.
/// A lost call gets those answers once the cluster has placed its grain again; a reply that is merely on its
/// way arrives long before the second one.
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

            misses = await Answering(isAnswering, checkTimeout) switch
            {
                true => 0,
                false => misses + 1,
                // Not known (the check failed or was slow, as on a loaded or failing cluster): only the grain's own
                // "no" counts, which a lost call gets once the cluster has placed the grain again.
                null => misses,
            };
            if (misses >= MissesToGiveUp)
            {
                // Observed here so that its late failure (the cancellation, or the 30-minute timeout) is not left unobserved.
                _ = answer.ContinueWith(static lost => _ = lost.Exception, TaskContinuationOptions.OnlyOnFaulted);
                await cancel.CancelAsync();
                throw new SiloUnavailableException("The grain answering this turn stopped answering it (its silo went away).");
            }
        }
    }

    /// <summary>Whether the grain says it is answering; null when the check failed or took longer than <paramref name="timeout"/>.</summary>
    private static async Task<bool?> Answering(Func<CancellationToken, Task<bool>> isAnswering, TimeSpan timeout)
    {
        using var giveUp = new CancellationTokenSource(timeout);
        try
        {
            return await isAnswering(giveUp.Token).WaitAsync(timeout);
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException || ClusterFailures.IsTransient(exception))
        {
            return null;
        }
    }
}
