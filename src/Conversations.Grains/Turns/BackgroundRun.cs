using System.Runtime.CompilerServices;
using Conversations.Abstractions.Users;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Core.Users;
using Conversations.Core.Wire.Responses;

namespace Conversations.Grains.Turns;

/// <summary>
/// A turn run in the background (<c>background: true</c>): it runs whether or not anyone listens, and keeps
/// its events while it runs so that any number of followers, on any API host, get every one of them from the
/// first (the host numbers them the same way each time, so a client resumes after the last it saw). Once it
/// has ended and its response is stored, the events go with it: a finished response is told again from the
/// store. It belongs to the grain that holds its turn, and everything here runs on that grain's scheduler; the
/// lock is only for followers read by Orleans' enumeration machinery.
/// </summary>
internal sealed class BackgroundRun
{
    private readonly Lock _lock = new();
    private readonly List<TurnEvent> _events = [];
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource<ResponseRecord> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ResponseStreamState _state;

    /// <param name="started">The response as it starts: in progress, no output.</param>
    public BackgroundRun(ResponseRecord started)
    {
        Started = started;
        // Told at once, before the upstream answers: the client's stream begins with response.created now.
        _events.Add(new TurnEvent.Started("", started.CreatedAt, started.Model, started));
        _state = ResponseStream.Start(started).State;
    }

    public ResponseRecord Started { get; }

    /// <summary>Cancelled when the response's owner cancels it; the upstream request goes with it.</summary>
    public CancellationToken Cancelled => _cancel.Token;

    /// <summary>The response as it ended, once it is stored.</summary>
    public Task<ResponseRecord> Ended => _ended.Task;

    /// <summary>The response as the holder kept it when the turn stopped (set by the holder's keep); null until then or if it could not.</summary>
    public ResponseRecord? Kept { get; set; }

    /// <summary>The response as far as it has got: status and output so far, or as it ended.</summary>
    public ResponseRecord SoFar
    {
        get
        {
            lock (_lock)
            {
                return _ended.Task.IsCompletedSuccessfully ? _ended.Task.Result : ResponseStream.SoFar(_state);
            }
        }
    }

    /// <summary>
    /// Takes the owner's place for a response to run in the background (among their background responses and
    /// their streams), leased under the response's id; the refusal when they have none left.
    /// </summary>
    public static async Task<ConversationError?> TakePlace(IUserGrain owner, string responseId) =>
        await owner.AcquireBackground(responseId) switch
        {
            StreamLease.Granted => null,
            StreamLease.BackgroundRefused refused => new ConversationError.LimitReached(ApiErrors.BackgroundLimit, refused.Limit),
            StreamLease.Refused refused => new ConversationError.LimitReached("streams", refused.Limit),
            var lease => throw new ArgumentOutOfRangeException(nameof(owner), lease, "Unknown stream lease."),
        };

    /// <summary>Stops the run: the upstream request is cancelled, and what arrived is kept as the cancelled response.</summary>
    public void Cancel() => _cancel.Cancel();

    /// <summary>
    /// Runs the turn to its end: its events are kept as they come, then the response as it ended is made sure
    /// of (stored through <paramref name="save"/> when the turn's own keep did not store it), its last event
    /// told, and <paramref name="ended"/> called once.
    /// </summary>
    public async Task Run(IAsyncEnumerable<TurnEvent> turn, Func<ResponseRecord, Task> save, Action ended)
    {
        TurnEvent? last = null;
        try
        {
            await foreach (var turnEvent in turn)
            {
                if (turnEvent is TurnEvent.Completed or TurnEvent.Failed)
                {
                    last = turnEvent;
                    break;
                }

                Add(turnEvent);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            last = new TurnEvent.Failed(new ConversationError.Upstream(new UpstreamError.StreamFailed($"The response stopped: {exception.Message}", null)), Kept);
        }

        var (terminal, final, stored) = Ending(last);
        try
        {
            if (!stored)
            {
                await save(final);
            }
        }
        finally
        {
            Add(terminal);
            // Let go (its place given back) before anyone waiting on the end hears of it.
            ended();
            lock (_lock)
            {
                _ended.TrySetResult(final);
            }

            _more.TrySetResult();
        }
    }

    /// <summary>Every event from the first, then each as it comes, until the last; a follower that leaves stops only itself.</summary>
    public async IAsyncEnumerable<TurnEvent> Follow([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = 0;
        while (true)
        {
            TurnEvent[] ready;
            Task more;
            bool over;
            lock (_lock)
            {
                ready = [.. _events.Skip(next)];
                more = _more.Task;
                over = _ended.Task.IsCompleted;
            }

            next += ready.Length;
            foreach (var turnEvent in ready)
            {
                yield return turnEvent;
            }

            if (over && ready.Length == 0)
            {
                yield break;
            }

            if (!over)
            {
                try
                {
                    await more.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }

    private void Add(TurnEvent turnEvent)
    {
        TaskCompletionSource told;
        lock (_lock)
        {
            _events.Add(turnEvent);
            if (turnEvent is not (TurnEvent.Completed or TurnEvent.Failed))
            {
                _state = ResponseStream.Step(_state, turnEvent).State;
            }

            told = _more;
            _more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        told.TrySetResult();
    }

    /// <summary>
    /// The last event to tell, the response as it ended, and whether it is stored already. A turn that stopped
    /// with nothing kept (refused by the upstream before its first chunk, cancelled before it) ends here.
    /// </summary>
    private (TurnEvent Terminal, ResponseRecord Final, bool Stored) Ending(TurnEvent? last) => last switch
    {
        TurnEvent.Completed completed => (completed, completed.Response, true),
        TurnEvent.Failed { Response: { } kept } failed => (failed, kept, true),
        TurnEvent.Failed failed => Unkept(failed),
        // Stopped without a last event: cancelled (the turn ends that way when its caller leaves).
        _ when Kept is { } kept => (new TurnEvent.Completed(kept), kept, true),
        _ => (new TurnEvent.Completed(TurnResponses.Cancelled(Started)), TurnResponses.Cancelled(Started), false),
    };

    private (TurnEvent, ResponseRecord, bool) Unkept(TurnEvent.Failed failed)
    {
        var response = TurnResponses.Failed(Started, [], null, ResponseWire.Failure(ApiErrors.From(failed.Error, Started.ConversationId ?? Started.Id)));
        return (failed with { Response = response }, response, false);
    }
}
