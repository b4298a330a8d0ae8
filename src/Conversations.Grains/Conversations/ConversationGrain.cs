using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Idempotency;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Core.Users;
using Conversations.Grains.Context;
using Conversations.Grains.Turns;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneOf;

namespace Conversations.Grains.Conversations;

/// <summary>
/// One conversation, in memory and written through to the store. Its rules are the core's
/// <see cref="ConversationDecider"/>: this grain loads the state, asks the decider, performs the I/O the
/// answer names (the upstream call through <see cref="TurnRunner"/>, the store write), and applies what
/// happened. What is its own is Orleans plumbing: interleaving, cancellation, handing conversations over
/// when the silo drains.
/// </summary>
public sealed partial class ConversationGrain(
    IConversationStore store,
    IResponseStore responses,
    IChatUpstream upstream,
    ITokenCounter tokens,
    ModelWindows windows,
    IOptions<ConversationDefaults> defaults,
    RunningTurns running,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    TimeProvider clock,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain
{
    // Send and Stream interleave with every other call (so a second turn is refused, not queued): the
    // state changes only between awaits, and the decider sees a running turn before the next one asks.
    private ConversationState _state = ConversationState.None;

    // Made on the first turn (an idle conversation holds none) and kept in step with the history.
    private UpstreamHistoryCache? _upstreamHistory;

    // The owner's grain, referenced once: making a reference costs more than the call it is for.
    private IUserGrain? _owner;

    // The responses whose single-shot Send calls are being answered here now (turns interleave, so a refused
    // second call may overlap the one that runs); made on the first, as an idle conversation needs none.
    private HashSet<string>? _answering;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(Id, cancellationToken) is { } stored)
        {
            var keys = stored.TurnKeys.ToImmutableDictionary(
                k => k.Key,
                k => (KeyRecord<string>)new KeyRecord<string>.Completed(k.RequestHash, k.ReplyMessageId, k.CreatedAt));
            _state = ConversationState.Loaded(stored.Conversation, stored.Items, stored.LastSequence, keys, clock.GetUtcNow());
        }
    }

    public async Task<OneOf<Conversation, ConversationError>> Create(string ownerId, CreateConversation request)
    {
        var settings = ConversationSettings.ForModel(defaults.Value.Model);
        if (Decide(new ConversationCommand.Create(Id, ownerId, request, settings, ItemIds.For(request.Items, IdGenerator.New))).TryPickT1(out var refused, out var decided))
        {
            return refused;
        }

        var created = (ConversationEvent.Created)decided;
        if (!await store.CreateAsync(created.Conversation, created.Items))
        {
            return new ConversationError.Conflict();
        }

        Apply(created);
        return created.Conversation;
    }

    public Task<OneOf<Conversation, ConversationError>> Get(string ownerId) =>
        Task.FromResult(_state.OwnedBy(ownerId) is { } conversation
            ? OneOf<Conversation, ConversationError>.FromT0(conversation)
            : Refuse(ConversationError.NotFoundError));

    public async Task<OneOf<Conversation, ConversationError>> Update(string ownerId, UpdateConversation request)
    {
        if (Decide(new ConversationCommand.Update(ownerId, request)).TryPickT1(out var refused, out var decided))
        {
            return Refuse(refused);
        }

        var updated = (ConversationEvent.Updated)decided;
        await store.UpdateAsync(_state.Conversation! with { Metadata = updated.Metadata, Settings = updated.Settings });
        // Applied after the write, to the state as it is now: a turn that finished meanwhile keeps its usage.
        Apply(updated);
        return _state.Conversation!;
    }

    public async Task<OneOf<Conversation, ConversationError>> Delete(string ownerId)
    {
        if (Decide(new ConversationCommand.Delete(ownerId)).TryPickT1(out var refused, out var decided))
        {
            return Refuse(refused);
        }

        // Forgotten before the store is awaited: a turn arriving meanwhile (turns interleave) must find no
        // conversation, not start one on rows about to vanish.
        Apply(decided);
        _upstreamHistory = null;
        await store.DeleteAsync(Id);
        DeactivateOnIdle();
        return ((ConversationEvent.Deleted)decided).Conversation;
    }

    public Task<OneOf<ItemPage, ConversationError>> ListItems(string ownerId, PageQuery query)
    {
        if (_state.OwnedBy(ownerId) is null)
        {
            return Task.FromResult(OneOf<ItemPage, ConversationError>.FromT1(Refuse(ConversationError.NotFoundError)));
        }

        return Task.FromResult(History.Page(_state.History, query).Match<OneOf<ItemPage, ConversationError>>(
            page => new ItemPage(page.Items, page.HasMore),
            invalid => new ConversationError.Invalid(invalid)));
    }

    public Task<OneOf<Item, ConversationError>> GetItem(string ownerId, string itemId) =>
        Task.FromResult(_state.OwnedBy(ownerId) is null
            ? OneOf<Item, ConversationError>.FromT1(Refuse(ConversationError.NotFoundError))
            : History.IndexOf(_state.History, itemId) is >= 0 and var at
                ? _state.History[at]
                : new ConversationError.ItemNotFound(itemId));

    public Task<OneOf<ImmutableArray<Item>, ConversationError>> ItemsBefore(string ownerId, long sequence) =>
        Task.FromResult(_state.OwnedBy(ownerId) is null
            ? OneOf<ImmutableArray<Item>, ConversationError>.FromT1(Refuse(ConversationError.NotFoundError))
            : OneOf<ImmutableArray<Item>, ConversationError>.FromT0([.. _state.History.TakeWhile(item => item.Sequence < sequence)]));

    public async Task<OneOf<ImmutableArray<Item>, ConversationError>> AppendItems(string ownerId, ImmutableArray<Item> items)
    {
        if (Decide(new ConversationCommand.AppendItems(ownerId, items, ItemIds.For(items, IdGenerator.New))).TryPickT1(out var refused, out var decided))
        {
            return Refuse(refused);
        }

        var appended = (ConversationEvent.ItemsAppended)decided;
        if ((await store.AppendItemsAsync(Id, appended.Items)).TryPickT1(out var stale, out _))
        {
            return Stale(stale);
        }

        Apply(appended);
        ForgetUpstreamFormAfter(appended.Items);
        return appended.Items;
    }

    public async Task<OneOf<Conversation, ConversationError>> DeleteItem(string ownerId, string itemId)
    {
        if (Decide(new ConversationCommand.DeleteItem(ownerId, itemId)).TryPickT1(out var refused, out var decided))
        {
            return Refuse(refused);
        }

        await store.DeleteItemAsync(Id, itemId);
        Apply(decided);
        // The upstream form of the history only ever grows; without the item it is made again.
        _upstreamHistory = null;
        return _state.Conversation!;
    }

    public Task<bool> IsAnswering(string responseId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_answering?.Contains(responseId) == true);

    public async Task<OneOf<ResponseRecord, ConversationError>> Send(string ownerId, TurnRequest request, IdempotencyKey? idempotency = null, CancellationToken cancellationToken = default)
    {
        // Before the first await, so that the call counts as answered from the moment it arrives.
        (_answering ??= []).Add(request.ResponseId);
        try
        {
            return await Answer(ownerId, request, idempotency, cancellationToken);
        }
        finally
        {
            _answering!.Remove(request.ResponseId);
        }
    }

    private async Task<OneOf<ResponseRecord, ConversationError>> Answer(string ownerId, TurnRequest request, IdempotencyKey? idempotency, CancellationToken cancellationToken)
    {
        if (request.Background)
        {
            // Answered at once, with the response as it starts; the turn runs on.
            var started = await RunInBackground(ownerId, request, idempotency, cancellationToken);
            return started.Match<OneOf<ResponseRecord, ConversationError>>(run => run.Started, response => response, error => error);
        }

        if (await CompactIfDue(ownerId, request, cancellationToken) is { } notCompacted)
        {
            return notCompacted;
        }

        var begun = await BeginTurn(ownerId, request, idempotency);
        if (!begun.TryPickT0(out var turn, out var answered))
        {
            return answered;
        }

        using var endable = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, running.Ended);
        try
        {
            return await TurnRunner.Complete(upstream, turn.Request, turn.Context.Retry, turn.Started.CreatedAt, tokens, (output, failure) => CompleteTurn(turn.AsSent(), output, failure), endable.Token);
        }
        catch (OperationCanceledException) when (running.Ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping and ran out of drain time; nothing was stored, so the client may simply retry.
            return new ConversationError.ShuttingDown();
        }
        finally
        {
            EndTurn();
        }
    }

    public async IAsyncEnumerable<TurnEvent> Stream(
        string ownerId,
        TurnRequest request,
        IdempotencyKey? idempotency = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (request.Background)
        {
            await foreach (var followed in StreamInBackground(ownerId, request, idempotency, cancellationToken))
            {
                yield return followed;
            }

            yield break;
        }

        if (await CompactIfDue(ownerId, request, cancellationToken) is { } notCompacted)
        {
            yield return new TurnEvent.Failed(notCompacted);
            yield break;
        }

        var begun = await BeginTurn(ownerId, request, idempotency);
        if (!begun.TryPickT0(out var turn, out var answered))
        {
            foreach (var replayed in answered.Match(TurnEnding.Replay, error => [new TurnEvent.Failed(error)]))
            {
                yield return replayed;
            }

            yield break;
        }

        var events = TurnRunner.Stream(upstream, turn.Request, turn.Context.Retry, turn.Started, tokens, (output, failure) => CompleteTurn(turn.AsSent(), output, failure), EndTurn, running.Ended, cancellationToken);
        await foreach (var turnEvent in events.WithCancellation(cancellationToken))
        {
            yield return turnEvent;
        }
    }

    public async Task<OneOf<long, ConversationError>> CountInputTokens(string ownerId, TurnRequest request)
    {
        if (_state.OwnedBy(ownerId) is not { } conversation)
        {
            return Refuse(ConversationError.NotFoundError);
        }

        var model = TurnSettings.Model(conversation.Settings, request);
        var settings = TurnSettings.Merge(conversation.Settings, request.Settings);
        var window = await windows.Budget(model, settings.MaxOutputTokens);
        // The history as it is now, after the await: a turn may have ended meanwhile.
        return Context(model, settings, request.Input, window).InputTokens();
    }

    /// <summary>Asks to begin a turn: the turn to run (its upstream request and its response so far), or a repeat's stored response, or the refusal.</summary>
    private async Task<OneOf<RunningTurn, OneOf<ResponseRecord, ConversationError>>> BeginTurn(string ownerId, TurnRequest request, IdempotencyKey? idempotency)
    {
        // The model's window is looked up before the turn is decided: turns interleave, so no await may come
        // between the decision and the turn taking the conversation.
        var window = _state.Conversation is { } current
            ? await windows.Budget(TurnSettings.Model(current.Settings, request), request.Settings.MaxOutputTokens ?? current.Settings.MaxTokens)
            : default;
        var decided = Decide(new ConversationCommand.BeginTurn(ownerId, idempotency, running.Stopping));
        if (decided.TryPickT1(out var refused, out var decision))
        {
            if (refused is ConversationError.ShuttingDown)
            {
                SiloHandover.MoveToAnotherSilo(this, membership, localSilo);
            }

            return OneOf<ResponseRecord, ConversationError>.FromT1(Refuse(refused));
        }

        if (decision is ConversationEvent.TurnReplayed replayed)
        {
            return replayed.Response is { } rebuilt
                ? OneOf<ResponseRecord, ConversationError>.FromT0(rebuilt)
                : await responses.GetAsync(replayed.ResponseId, clock.GetUtcNow()) is { } stored
                    ? OneOf<ResponseRecord, ConversationError>.FromT0(stored)
                    : OneOf<ResponseRecord, ConversationError>.FromT1(new ConversationError.ResponseNotFound(replayed.ResponseId));
        }

        var began = (ConversationEvent.TurnBegan)decision;
        Apply(began);
        var conversation = _state.Conversation!;
        var settings = TurnSettings.Merge(conversation.Settings, request.Settings);
        var model = TurnSettings.Model(conversation.Settings, request);
        var input = ItemIds.Place(request.Input, ItemIds.For(request.Input, IdGenerator.New), 0, began.At);
        var context = Context(model, settings, input, window);
        if (context.Request().TryPickT1(out var tooLong, out var upstreamRequest))
        {
            // Refused before the upstream is called; the conversation is free again at once.
            Apply(Decide(new ConversationCommand.EndTurn()).AsT0);
            return OneOf<ResponseRecord, ConversationError>.FromT1(tooLong);
        }

        running.Enter();
        var started = TurnResponses.Started(request.ResponseId, ownerId, Id, null, began.At, model, settings, input, request.Store, request.Background);
        return new RunningTurn(started, upstreamRequest, context, _state.History);
    }

    /// <summary>
    /// A turn's context: the history kept in upstream form (with each message's token count, made once), the
    /// items after it, then the input.
    /// </summary>
    private TurnContext Context(string model, Core.Responses.ResponseSettings settings, ImmutableArray<Item> input, (long? Window, long? Budget) window)
    {
        if (Core.Context.Compactions.LastIn(input.AsSpan()) is not null)
        {
            // A compaction sent as input stands for everything before it, the kept history too.
            return TurnContext.OfChain(model, settings, _state.History, input, tokens, window.Window, window.Budget);
        }

        var cache = _upstreamHistory ??= new UpstreamHistoryCache();
        var kept = cache.Snapshot(_state.History);
        var unprepared = _state.History.AsSpan()[kept.Covered..];
        var rest = ChatRequestBuilder.ForUpstream([.. unprepared, .. input], leadingComma: false);
        var encoding = Core.Context.TokenEncodings.For(model);
        var countTokens = tokens.For(model);
        var newest = Core.Context.ContextFit.NewestInput(input.AsSpan()) is { } at ? unprepared.Length + at : (int?)null;
        return new TurnContext(model, settings, kept, () => cache.Counts(encoding, countTokens), rest, newest, countTokens, window.Window, window.Budget);
    }

    /// <summary>Stores the running turn's response as far as it got (as cancelled when its owner stopped it), then takes it into memory.</summary>
    private async Task<OneOf<ResponseRecord, ConversationError>> CompleteTurn(ResponseRecord started, TurnOutput output, ResponseFailure? failure, bool cancelled = false)
    {
        var response = failure is null
            ? TurnResponses.Finished(started, output.Items, output.Reply, clock.GetUtcNow(), output.Shape)
            : TurnResponses.Failed(started, output.Items, output.Reply, failure, output.Shape);
        response = cancelled ? TurnResponses.Cancelled(response) : response;
        if (Decide(new ConversationCommand.CompleteTurn(response)).TryPickT1(out var refused, out var decided))
        {
            return refused;
        }

        var stored = (ConversationEvent.TurnStored)decided;
        var conversation = _state.Conversation!;
        if ((await store.AppendTurnAsync(TurnRecord.Of(conversation.OwnerId, stored))).TryPickT1(out var stale, out _))
        {
            return Stale(stale);
        }

        Apply(stored);
        ForgetUpstreamFormAfter(stored.Items);
        // Already stored with the turn; the owner's grain only needs today's count for the tokens-per-day limit.
        _owner ??= GrainFactory.GetGrain<IUserGrain>(conversation.OwnerId);
        await _owner.RecordUsage(new UsageTotals(1, stored.Response.Usage ?? Core.Messages.TokenUsage.Zero), stored: true);
        return stored.Response;
    }

    /// <summary>
    /// A compaction among items just added stands for everything before it, so the upstream form kept of the
    /// history (which only ever grows) is made again, from the compaction on.
    /// </summary>
    private void ForgetUpstreamFormAfter(ImmutableArray<Item> added)
    {
        if (Core.Context.Compactions.LastIn(added.AsSpan()) is not null)
        {
            _upstreamHistory = null;
        }
    }

    /// <summary>Frees the conversation for its next turn. Called once per turn that began.</summary>
    private void EndTurn()
    {
        Apply(Decide(new ConversationCommand.EndTurn()).AsT0);
        running.Exit();
    }

    private OneOf<ConversationEvent, ConversationError> Decide(ConversationCommand command) =>
        ConversationDecider.Decide(_state, command, clock.GetUtcNow());

    private void Apply(ConversationEvent @event) => _state = ConversationDecider.Evolve(_state, @event);

    private ConversationError Refuse(ConversationError refused)
    {
        if (refused is ConversationError.NotFound && _state.Conversation is null)
        {
            // Nothing to hold for an id that does not exist; free the activation.
            DeactivateOnIdle();
        }

        return refused;
    }

    /// <summary>
    /// Another activation wrote this conversation (a failover raced us). Our view is stale: drop this
    /// activation so the next call reloads the true history.
    /// </summary>
    private ConversationError.Conflict Stale(StaleHistory stale)
    {
        LogStaleHistory(logger, Id, stale.Sequence);
        DeactivateOnIdle();
        return new ConversationError.Conflict();
    }



    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} found sequence {Sequence} already taken; reloading.")]
    private static partial void LogStaleHistory(ILogger logger, string conversationId, long sequence);
}
