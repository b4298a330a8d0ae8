using System.Runtime.CompilerServices;
using Conversations.Abstractions.Users;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Grains.Turns;
using OneOf;

namespace Conversations.Grains.Conversations;

/// <summary>
/// Turns run in the background (<c>background: true</c>). Such a turn takes the conversation's turn like any
/// other (a second one meanwhile gets <see cref="ConversationError.Busy"/>) and one of its owner's background
/// places, but no caller holds it: it runs here until it ends or is cancelled, and whoever asks follows it.
/// Its response is stored as in progress when it starts, so that, should this silo die with it, the next
/// activation of its response finds a response still in progress that nothing runs and ends it as failed.
/// </summary>
public sealed partial class ConversationGrain
{
    // The turn running in the background, by response id (at most one: it holds the conversation's turn).
    private Dictionary<string, BackgroundRun>? _background;

    public Task<ResponseRecord?> Running(string ownerId, string responseId) =>
        Task.FromResult(RunOf(ownerId, responseId)?.SoFar);

    public async IAsyncEnumerable<TurnEvent> Follow(string ownerId, string responseId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (RunOf(ownerId, responseId) is { } run)
        {
            await foreach (var turnEvent in run.Follow(cancellationToken))
            {
                yield return turnEvent;
            }

            yield break;
        }

        // Ended since the caller looked: told again from the store.
        var stored = await responses.GetAsync(responseId, clock.GetUtcNow(), cancellationToken);
        var told = stored is not null && stored.OwnerId == ownerId && !TurnResponses.IsRunning(stored)
            ? TurnEnding.Replay(stored)
            : [new TurnEvent.Failed(new ConversationError.ResponseNotFound(responseId))];
        foreach (var turnEvent in told)
        {
            yield return turnEvent;
        }
    }

    public async Task<ResponseRecord?> Cancel(string ownerId, string responseId)
    {
        if (RunOf(ownerId, responseId) is not { } run)
        {
            return null;
        }

        run.Cancel();
        return await run.Ended;
    }

    /// <summary>A background turn, streamed to its caller: leaving stops only the caller's following, never the turn.</summary>
    private async IAsyncEnumerable<TurnEvent> StreamInBackground(
        string ownerId, TurnRequest request, IdempotencyKey? idempotency, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = await RunInBackground(ownerId, request, idempotency, cancellationToken);
        if (started.TryPickT0(out var run, out var answered))
        {
            await foreach (var turnEvent in run.Follow(cancellationToken))
            {
                yield return turnEvent;
            }

            yield break;
        }

        foreach (var turnEvent in answered.Match(TurnEnding.Replay, error => [new TurnEvent.Failed(error)]))
        {
            yield return turnEvent;
        }
    }

    /// <summary>Begins a turn in the background: the run, or a repeat's stored response, or the refusal.</summary>
    private async Task<OneOf<BackgroundRun, ResponseRecord, ConversationError>> RunInBackground(
        string ownerId, TurnRequest request, IdempotencyKey? idempotency, CancellationToken cancellationToken)
    {
        if (await CompactIfDue(ownerId, request, cancellationToken) is { } notCompacted)
        {
            return notCompacted;
        }

        var owner = GrainFactory.GetGrain<IUserGrain>(ownerId);
        if (await BackgroundRun.TakePlace(owner, request.ResponseId) is { } noPlace)
        {
            return noPlace;
        }

        var begun = await BeginTurn(ownerId, request, idempotency);
        if (!begun.TryPickT0(out var turn, out var answered))
        {
            await owner.ReleaseStream(request.ResponseId);
            return answered.Match<OneOf<BackgroundRun, ResponseRecord, ConversationError>>(response => response, error => error);
        }

        var run = new BackgroundRun(turn.Started);
        (_background ??= [])[run.Started.Id] = run;
        // No call holds the activation while the turn runs, so it must not be collected as idle meanwhile.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        try
        {
            await responses.SaveAsync(turn.Started, null, cancellationToken);
        }
        catch
        {
            EndTurn();
            Forget(run, owner);
            throw;
        }

        var events = TurnRunner.Stream(
            upstream, turn.Request, turn.Context.Retry, turn.Started, tokens,
            async (output, failure) =>
            {
                var kept = await CompleteTurn(turn.AsSent(), output, failure, cancelled: run.Cancelled.IsCancellationRequested);
                run.Kept = kept.TryPickT0(out var response, out _) ? response : null;
                return kept;
            },
            EndTurn, running.Ended, run.Cancelled);
        _ = run.Run(events, final => responses.SaveAsync(final, null), () => Forget(run, owner));
        return run;
    }

    private BackgroundRun? RunOf(string ownerId, string responseId) =>
        _background?.GetValueOrDefault(responseId) is { } run && run.Started.OwnerId == ownerId ? run : null;

    /// <summary>Lets go of a background turn that ended: its place is given back, and the activation may be collected again.</summary>
    private void Forget(BackgroundRun run, IUserGrain owner)
    {
        _background?.Remove(run.Started.Id);
        _ = owner.ReleaseStream(run.Started.Id);
        if (_background is not { Count: > 0 })
        {
            DelayDeactivation(TimeSpan.Zero);
        }
    }
}
