using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;
using Conversations.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneOf;

namespace Conversations.Grains.Conversations;

/// <summary>
/// One conversation, in memory and written through to the store. Its rules are the core's
/// <see cref="ConversationDecider"/>: this grain loads the state, asks the decider, performs the I/O the
/// answer names (the upstream call, the store write), and applies what happened. What is its own is
/// Orleans plumbing: interleaving, cancellation, handing conversations over when the silo drains.
/// </summary>
public sealed partial class ConversationGrain(
    IConversationStore store,
    IChatUpstream upstream,
    ITokenCounter tokens,
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

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(Id, cancellationToken) is { } stored)
        {
            var keys = stored.TurnKeys.ToImmutableDictionary(k => k.Key, k => new TurnKeyEntry(k.RequestHash, k.ReplyMessageId, k.CreatedAt));
            _state = ConversationState.Loaded(stored.Conversation, stored.Messages, keys, clock.GetUtcNow());
        }
    }

    public async Task<OneOf<Conversation, ConversationError>> Create(string ownerId, CreateConversation request)
    {
        var itemIds = request.Items.Select(_ => IdGenerator.New(Ids.MessagePrefix)).ToImmutableArray();
        var settings = ConversationSettings.ForModel(defaults.Value.Model);
        if (Decide(new ConversationCommand.Create(Id, ownerId, request, settings, itemIds)).TryPickT1(out var refused, out var decided))
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
            : NotFound());

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

    public Task<OneOf<MessagePage, ConversationError>> ListItems(string ownerId, PageQuery query)
    {
        if (_state.OwnedBy(ownerId) is null)
        {
            return Task.FromResult(OneOf<MessagePage, ConversationError>.FromT1(NotFound()));
        }

        return Task.FromResult(History.Page(_state.History, query).Match<OneOf<MessagePage, ConversationError>>(
            page => new MessagePage(page.Items, page.HasMore),
            invalid => new ConversationError.Invalid(invalid)));
    }

    public async Task<OneOf<TurnResult, ConversationError>> Send(string ownerId, SendMessage request, IdempotencyKey? idempotency = null, CancellationToken cancellationToken = default)
    {
        var begun = BeginTurn(ownerId, idempotency);
        if (!begun.TryPickT0(out _, out var answered))
        {
            return answered.Match<OneOf<TurnResult, ConversationError>>(replayed => new TurnResult(replayed.UserMessage, replayed.Reply), error => error);
        }

        using var endable = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, running.Ended);
        try
        {
            var prompt = UpstreamRequest(request, stream: false);
            var answer = await upstream.CompleteAsync(prompt, endable.Token);
            if (answer.TryPickT1(out var failure, out var completion))
            {
                return new ConversationError.Upstream(failure);
            }

            var stored = await CompleteTurn(request, StreamFold.FromCompletion(completion), prompt);
            return stored.Match<OneOf<TurnResult, ConversationError>>(turn => new TurnResult(turn.UserMessage, turn.Reply), error => error);
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
        SendMessage request,
        IdempotencyKey? idempotency = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var begun = BeginTurn(ownerId, idempotency);
        if (!begun.TryPickT0(out var startedAt, out var answered))
        {
            foreach (var replayedEvent in answered.Match(replayed => TurnEnding.Replay(replayed.Reply), error => [new TurnEvent.Failed(error)]))
            {
                yield return replayedEvent;
            }

            yield break;
        }

        // What was sent and what has arrived, kept by the finally block if the loop is left early (the client went away).
        UpstreamChatRequest? prompt = null;
        TurnDraft? draft = null;
        var ended = false;
        using var endable = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, running.Ended);
        try
        {
            prompt = UpstreamRequest(request, stream: true);
            await using var chunks = upstream.StreamAsync(prompt, endable.Token).GetAsyncEnumerator(endable.Token);
            var folding = StreamFold.Start(IdGenerator.New("chatcmpl-"), startedAt.ToUnixTimeSeconds(), prompt.Model);
            while (true)
            {
                var next = await UpstreamChunks.Next(chunks, endable.Token);
                if (next.TryPickT0(out var chunk, out var stopped))
                {
                    var first = draft is null;
                    draft = folding = StreamFold.Step(folding, chunk);
                    if (first)
                    {
                        yield return new TurnEvent.Started(folding.CompletionId, startedAt, folding.Model);
                    }

                    if (chunk.ContentDelta.Length > 0)
                    {
                        yield return new TurnEvent.Delta(chunk.ContentDelta);
                    }

                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    yield break; // the client went away; the finally block keeps what arrived
                }

                var stop = stopped.Match<StreamStop>(
                    _ => running.Ended.IsCancellationRequested ? new StreamStop.Drained() : new StreamStop.Finished(),
                    failure => new StreamStop.Failed(failure),
                    _ => new StreamStop.Drained());

                // What arrived is kept (a reply the upstream never finished, as incomplete), and the turn
                // freed before the last event goes out, so the client may start its next turn as soon as it hears.
                OneOf<ConversationEvent.TurnStored, ConversationError>? stored = null;
                if (draft is not null)
                {
                    stored = await CompleteTurn(request, draft, prompt);
                }

                ended = true;
                EndTurn();
                yield return TurnEnding.Report(stop, stored);
                yield break;
            }
        }
        finally
        {
            // Only if this turn is still the running one: once freed, the next turn may have begun.
            if (!ended)
            {
                if (draft is not null)
                {
                    await CompleteTurn(request, draft, prompt!);
                }

                EndTurn();
            }
        }
    }

    /// <summary>Asks to begin a turn: its start time, or a repeat's stored turn, or the refusal.</summary>
    private OneOf<DateTimeOffset, OneOf<ConversationEvent.TurnReplayed, ConversationError>> BeginTurn(string ownerId, IdempotencyKey? idempotency)
    {
        var decided = Decide(new ConversationCommand.BeginTurn(ownerId, idempotency, running.Stopping));
        if (decided.TryPickT1(out var refused, out var decision))
        {
            if (refused is ConversationError.ShuttingDown)
            {
                SiloHandover.MoveToAnotherSilo(this, membership, localSilo);
            }

            return OneOf<ConversationEvent.TurnReplayed, ConversationError>.FromT1(Refuse(refused));
        }

        if (decision is ConversationEvent.TurnReplayed replayed)
        {
            return OneOf<ConversationEvent.TurnReplayed, ConversationError>.FromT0(replayed);
        }

        Apply(decision);
        running.Enter();
        return ((ConversationEvent.TurnBegan)decision).At;
    }

    /// <summary>Stores the running turn as far as it got, then takes it into memory.</summary>
    private async Task<OneOf<ConversationEvent.TurnStored, ConversationError>> CompleteTurn(SendMessage request, TurnDraft draft, UpstreamChatRequest prompt)
    {
        var command = new ConversationCommand.CompleteTurn(
            request.Content, draft, prompt.Messages, IdGenerator.New(Ids.MessagePrefix), IdGenerator.New(Ids.MessagePrefix), tokens.Count);
        if (Decide(command).TryPickT1(out var refused, out var decided))
        {
            return refused;
        }

        var stored = (ConversationEvent.TurnStored)decided;
        var conversation = _state.Conversation!;
        var appended = await store.AppendTurnAsync(TurnRecord.Of(conversation.Id, conversation.OwnerId, stored));
        if (appended.TryPickT1(out var stale, out _))
        {
            // Another activation wrote this conversation (a failover raced us). Our view is stale: drop
            // this activation so the next call reloads the true history.
            LogStaleHistory(logger, Id, stale.Sequence);
            DeactivateOnIdle();
            return new ConversationError.Conflict();
        }

        Apply(stored);
        // Already stored with the turn; the owner's grain only needs today's count for the tokens-per-day limit.
        _owner ??= GrainFactory.GetGrain<IUserGrain>(conversation.OwnerId);
        await _owner.RecordUsage(new UsageTotals(1, stored.Reply.Usage), stored: true);
        return stored;
    }

    /// <summary>Frees the conversation for its next turn. Called once per turn that began.</summary>
    private void EndTurn()
    {
        Apply(Decide(new ConversationCommand.EndTurn()).AsT0);
        running.Exit();
    }

    private UpstreamChatRequest UpstreamRequest(SendMessage request, bool stream) =>
        ChatRequestBuilder.Build(
            _state.Conversation!.Settings,
            (_upstreamHistory ??= new UpstreamHistoryCache()).Snapshot(_state.History),
            request.Content,
            request.Overrides,
            stream);

    private OneOf<ConversationEvent, ConversationError> Decide(ConversationCommand command) =>
        ConversationDecider.Decide(_state, command, clock.GetUtcNow());

    private void Apply(ConversationEvent @event) => _state = ConversationDecider.Evolve(_state, @event);

    private ConversationError NotFound() => Refuse(ConversationError.NotFoundError);

    private ConversationError Refuse(ConversationError refused)
    {
        if (refused is ConversationError.NotFound && _state.Conversation is null)
        {
            // Nothing to hold for an id that does not exist; free the activation.
            DeactivateOnIdle();
        }

        return refused;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} found sequence {Sequence} already taken; reloading.")]
    private static partial void LogStaleHistory(ILogger logger, string conversationId, long sequence);
}
