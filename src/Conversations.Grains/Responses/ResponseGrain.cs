using System.Runtime.CompilerServices;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.Core.Context;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Core.Users;
using Conversations.Grains.Context;
using Conversations.Grains.Conversations;
using Conversations.Grains.Turns;
using Microsoft.Extensions.Options;
using OneOf;

namespace Conversations.Grains.Responses;

/// <summary>
/// One response. A response that belongs to no conversation runs its turn here: its context is the chain
/// it continues, read from the store (so it continues on any silo), and it is stored once it ends (unless
/// <c>store: false</c>). A stored response of a conversation is only read and deleted here; its turn ran
/// in the conversation's grain, which stored it with the turn's items.
/// </summary>
public sealed partial class ResponseGrain(
    IResponseStore store,
    IChatUpstream upstream,
    ITokenCounter tokens,
    ModelWindows windows,
    IOptions<ConversationDefaults> defaults,
    IOptions<ResponseOptions> options,
    RunningTurns running,
    TimeProvider clock) : Grain, IResponseGrain
{
    // This activation's own turn while it runs. Once it ends the store is the only truth (reads never
    // cache it, so a response deleted with its conversation, or expired, is gone from every activation).
    private ResponseRecord? _running;

    // A response id runs one turn, ever.
    private bool _ran;

    // A Create call is being answered (from its first line, before the turn begins).
    private bool _answering;

    private string Id => this.GetPrimaryKeyString();

    public Task<bool> IsAnswering(CancellationToken cancellationToken = default) => Task.FromResult(_answering);

    public async Task<OneOf<ResponseRecord, ConversationError>> Create(string ownerId, TurnRequest request, CancellationToken cancellationToken = default)
    {
        _answering = true;
        try
        {
            return await Answer(ownerId, request, cancellationToken);
        }
        finally
        {
            _answering = false;
        }
    }

    private async Task<OneOf<ResponseRecord, ConversationError>> Answer(string ownerId, TurnRequest request, CancellationToken cancellationToken)
    {
        if (request.Background)
        {
            // Answered at once, with the response as it starts; the turn runs on.
            var started = await RunInBackground(ownerId, request);
            return started.Match<OneOf<ResponseRecord, ConversationError>>(run => run.Started, error => error);
        }

        var begun = await Begin(ownerId, request);
        if (begun.TryPickT1(out var refused, out var turn))
        {
            return refused;
        }

        running.Enter();
        using var endable = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, running.Ended);
        try
        {
            return await TurnRunner.Complete(upstream, turn.Request, turn.Context.Retry, turn.Started.CreatedAt, tokens, (output, failure) => Keep(turn.AsSent(), output, failure), endable.Token);
        }
        catch (OperationCanceledException) when (running.Ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ConversationError.ShuttingDown();
        }
        finally
        {
            _running = null;
            running.Exit();
        }
    }

    private void EndTurn()
    {
        _running = null;
        running.Exit();
    }

    public async IAsyncEnumerable<TurnEvent> Stream(string ownerId, TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (request.Background)
        {
            await foreach (var followed in StreamInBackground(ownerId, request, cancellationToken))
            {
                yield return followed;
            }

            yield break;
        }

        var begun = await Begin(ownerId, request);
        if (begun.TryPickT1(out var refused, out var turn))
        {
            yield return new TurnEvent.Failed(refused);
            yield break;
        }

        running.Enter();
        var events = TurnRunner.Stream(upstream, turn.Request, turn.Context.Retry, turn.Started, tokens, (output, failure) => Keep(turn.AsSent(), output, failure), EndTurn, running.Ended, cancellationToken);
        await foreach (var turnEvent in events.WithCancellation(cancellationToken))
        {
            yield return turnEvent;
        }
    }

    public async Task<OneOf<ResponseRecord, ConversationError>> Get(string ownerId)
    {
        if (_run is { } run)
        {
            return ResponseChains.Owned(run.SoFar, Id, ownerId);
        }

        var found = ResponseChains.Owned(_running ?? await store.GetAsync(Id, clock.GetUtcNow()), Id, ownerId);
        return found.TryPickT0(out var response, out _) && response.Background && TurnResponses.IsRunning(response) && _running is null
            ? await Settle(response)
            : found;
    }

    public async Task<OneOf<ResponseRecord, ConversationError>> Delete(string ownerId)
    {
        var found = await Get(ownerId);
        if (found.TryPickT0(out var response, out _))
        {
            await store.DeleteAsync(Id);
            DeactivateOnIdle();
        }

        return found;
    }

    public async Task<OneOf<ItemPage, ConversationError>> InputItems(string ownerId, PageQuery query)
    {
        var found = await Get(ownerId);
        if (found.TryPickT1(out var refused, out var response))
        {
            return refused;
        }

        var sent = response.LeftOutBefore is null ? response.Input : SentItems.Of(response, await ContextOf(response));
        return History.Page(sent, query).Match<OneOf<ItemPage, ConversationError>>(
            page => new ItemPage(page.Items, page.HasMore),
            invalid => new ConversationError.Invalid(invalid));
    }

    /// <summary>The items a response continued: its conversation's items before it, or its chain's; none when they are gone.</summary>
    private async Task<System.Collections.Immutable.ImmutableArray<Item>> ContextOf(ResponseRecord response)
    {
        if (response.ConversationId is { } conversationId)
        {
            var first = response.Input.Concat(response.Output).FirstOrDefault();
            var before = await GrainFactory.GetGrain<IConversationGrain>(conversationId).ItemsBefore(response.OwnerId, first?.Sequence ?? long.MaxValue);
            return before.TryPickT0(out var items, out _) ? items : [];
        }

        if (response.PreviousResponseId is { } previous)
        {
            var chain = await store.LoadChainAsync(previous, clock.GetUtcNow(), options.Value.MaxChainLength);
            return ResponseChains.Context(chain, previous, response.OwnerId).TryPickT0(out var items, out _) ? items : [];
        }

        return [];
    }

    /// <summary>The turn to run: its response so far, and what goes upstream (the chain's items, then the input).</summary>
    private async Task<OneOf<RunningTurn, ConversationError>> Begin(string ownerId, TurnRequest request)
    {
        if (_ran || running.Stopping)
        {
            // A response runs once; a stopping silo takes no new turns (the client's retry lands elsewhere).
            return running.Stopping ? new ConversationError.ShuttingDown() : new ConversationError.Conflict();
        }

        var now = clock.GetUtcNow();
        var context = System.Collections.Immutable.ImmutableArray<Item>.Empty;
        if (request.PreviousResponseId is { } previous)
        {
            var chain = await store.LoadChainAsync(previous, now, options.Value.MaxChainLength);
            if (ResponseChains.Context(chain, previous, ownerId).TryPickT1(out var missing, out context))
            {
                return missing;
            }
        }

        var model = string.IsNullOrEmpty(request.Model) ? defaults.Value.Model : request.Model;
        var settings = TurnSettings.Alone(request.Settings);
        var input = ItemIds.Place(request.Input, ItemIds.For(request.Input, IdGenerator.New), 0, now);
        var (window, budget) = await windows.Budget(model, settings.MaxOutputTokens);
        var turnContext = TurnContext.OfChain(model, settings, context, input, tokens, window, budget);
        if (Compactions.IsDue(request.CompactThreshold, turnContext.InputTokens(), budget) && Compactions.HasNewItems(context.AsSpan()))
        {
            // context_management: the chain so far becomes one compaction, kept as this response's first input
            // item, so that this turn and every later one in the chain start from it.
            var made = await Summaries.Make(upstream, tokens, windows, model, context, IdGenerator.New(ItemIds.CompactionPrefix), now, default);
            if (made.TryPickT1(out var failed, out var compaction))
            {
                return failed;
            }

            await GrainFactory.GetGrain<IUserGrain>(ownerId).RecordUsage(new UsageTotals(1, compaction.Reply?.Usage ?? Core.Messages.TokenUsage.Zero), stored: false);
            input = ItemIds.Number([compaction, .. input], 0);
            turnContext = TurnContext.OfChain(model, settings, context, input, tokens, window, budget);
        }

        if (turnContext.Request().TryPickT1(out var tooLong, out var upstreamRequest))
        {
            // Refused before the upstream is called; the id stays free, as for any request refused outright.
            return tooLong;
        }

        var started = TurnResponses.Started(Id, ownerId, null, request.PreviousResponseId, now, model, settings, input, request.Store, request.Background);
        (_running, _ran) = (started, true);
        return new RunningTurn(started, upstreamRequest, turnContext, context);
    }



    /// <summary>Keeps the response as it ended: stored (unless <c>store: false</c>), and its usage counted for its owner.</summary>
    private async Task<OneOf<ResponseRecord, ConversationError>> Keep(ResponseRecord started, TurnOutput output, ResponseFailure? failure, bool cancelled = false)
    {
        var now = clock.GetUtcNow();
        var response = failure is null
            ? TurnResponses.Finished(started, output.Items, output.Reply, now, output.Shape)
            : TurnResponses.Failed(started, output.Items, output.Reply, failure, output.Shape);
        response = cancelled ? TurnResponses.Cancelled(response) : response;
        if (response.Stored)
        {
            await store.SaveAsync(response, now + options.Value.Retention);
        }

        _running = null;

        await GrainFactory.GetGrain<IUserGrain>(started.OwnerId).RecordUsage(new UsageTotals(1, response.Usage ?? Core.Messages.TokenUsage.Zero), stored: false);
        return response;
    }


}
