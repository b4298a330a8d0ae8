using System.Runtime.CompilerServices;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Users;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Grains.Turns;
using OneOf;

namespace Conversations.Grains.Responses;

/// <summary>
/// Responses run in the background (<c>background: true</c>). One off a conversation runs here; one on a
/// conversation runs in the conversation's grain, and is followed and cancelled there. Either is stored as in
/// progress when it starts: a response found in progress with no run behind it (its silo died with it; a grain
/// has one activation, so the run is nowhere else) ends as failed, with what was stored.
/// </summary>
public sealed partial class ResponseGrain
{
    // This response's own run in the background, while it runs.
    private BackgroundRun? _run;

    public async IAsyncEnumerable<TurnEvent> Follow(string ownerId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var events = _run is { } run && run.Started.OwnerId == ownerId ? run.Follow(cancellationToken) : await Followed(ownerId, cancellationToken);
        await foreach (var turnEvent in events.WithCancellation(cancellationToken))
        {
            yield return turnEvent;
        }
    }

    public async Task<OneOf<ResponseRecord, ConversationError>> Cancel(string ownerId)
    {
        if (_run is { } run && run.Started.OwnerId == ownerId)
        {
            run.Cancel();
            return await run.Ended;
        }

        var found = await Get(ownerId);
        if (found.TryPickT0(out var response, out _) && response.Background && TurnResponses.IsRunning(response) && response.ConversationId is { } conversationId)
        {
            // Ended meanwhile if the conversation no longer runs it: as stored, then.
            return await GrainFactory.GetGrain<IConversationGrain>(conversationId).Cancel(ownerId, Id) is { } cancelled ? cancelled : await Get(ownerId);
        }

        // Finished (returned as it is), not background (the host refuses that before asking), or not found.
        return found;
    }

    /// <summary>The events of a response this activation does not run: its conversation's run, or its stored record told again.</summary>
    private async Task<IAsyncEnumerable<TurnEvent>> Followed(string ownerId, CancellationToken cancellationToken)
    {
        var found = await Get(ownerId);
        if (found.TryPickT1(out var missing, out var response))
        {
            return new[] { new TurnEvent.Failed(missing) }.ToAsyncEnumerable();
        }

        return TurnResponses.IsRunning(response) && response.ConversationId is { } conversationId
            ? GrainFactory.GetGrain<IConversationGrain>(conversationId).Follow(ownerId, Id, cancellationToken)
            : TurnEnding.Replay(response).ToAsyncEnumerable();
    }

    /// <summary>
    /// A stored background response still in progress, as it truly stands: its conversation's run's, if that
    /// runs it; else, read again (a run stores its end before it lets go), and if still in progress, lost.
    /// </summary>
    private async Task<OneOf<ResponseRecord, ConversationError>> Settle(ResponseRecord response)
    {
        if (response.ConversationId is { } conversationId
            && await GrainFactory.GetGrain<IConversationGrain>(conversationId).Running(response.OwnerId, Id) is { } running)
        {
            return running;
        }

        var now = clock.GetUtcNow();
        var again = await store.GetAsync(Id, now);
        if (again is null || !TurnResponses.IsRunning(again) || _run is not null)
        {
            return ResponseChains.Owned(_run?.SoFar ?? again, Id, response.OwnerId);
        }

        var lost = TurnResponses.Lost(again);
        await store.SaveAsync(lost, again.ConversationId is null ? now + options.Value.Retention : null);
        // The place it held among its owner's background responses and streams went with it.
        _ = GrainFactory.GetGrain<IUserGrain>(again.OwnerId).ReleaseStream(Id);
        return lost;
    }

    /// <summary>A background response, streamed to its caller: leaving stops only the caller's following, never the run.</summary>
    private async IAsyncEnumerable<TurnEvent> StreamInBackground(string ownerId, TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = await RunInBackground(ownerId, request);
        if (started.TryPickT1(out var refused, out var run))
        {
            yield return new TurnEvent.Failed(refused);
            yield break;
        }

        await foreach (var turnEvent in run.Follow(cancellationToken))
        {
            yield return turnEvent;
        }
    }

    /// <summary>Begins the response's turn in the background: the run, or the refusal.</summary>
    private async Task<OneOf<BackgroundRun, ConversationError>> RunInBackground(string ownerId, TurnRequest request)
    {
        var owner = GrainFactory.GetGrain<IUserGrain>(ownerId);
        if (await BackgroundRun.TakePlace(owner, request.ResponseId) is { } noPlace)
        {
            return noPlace;
        }

        var begun = await Begin(ownerId, request);
        if (begun.TryPickT1(out var refused, out var turn))
        {
            await owner.ReleaseStream(request.ResponseId);
            return refused;
        }

        running.Enter();
        var run = _run = new BackgroundRun(turn.Started);
        // No call holds the activation while the turn runs, so it must not be collected as idle meanwhile.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        try
        {
            await store.SaveAsync(turn.Started, clock.GetUtcNow() + options.Value.Retention);
        }
        catch
        {
            EndTurn();
            Forget(owner);
            throw;
        }

        var events = TurnRunner.Stream(
            upstream, turn.Request, turn.Context.Retry, turn.Started, tokens,
            async (output, failure) =>
            {
                var kept = await Keep(turn.AsSent(), output, failure, cancelled: run.Cancelled.IsCancellationRequested);
                run.Kept = kept.TryPickT0(out var response, out _) ? response : null;
                return kept;
            },
            EndTurn, running.Ended, run.Cancelled);
        _ = run.Run(events, final => store.SaveAsync(final, clock.GetUtcNow() + options.Value.Retention), () => Forget(owner));
        return run;
    }

    /// <summary>Lets go of the run that ended: its place is given back, and the activation may be collected again.</summary>
    private void Forget(IUserGrain owner)
    {
        _run = null;
        _ = owner.ReleaseStream(Id);
        DelayDeactivation(TimeSpan.Zero);
    }
}
