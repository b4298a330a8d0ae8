using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.Core.Users;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneOf;

namespace Conversations.Grains.Conversations;

/// <summary>
/// One conversation: its settings and whole history in memory, written through to the store.
/// A turn is atomic from the client's point of view: its user message and reply are stored together,
/// after the upstream answered, so a failed turn leaves nothing behind and a succeeded one is durable
/// before the client hears of it. A turn cut short after it started is kept, marked incomplete.
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
    private readonly ITokenCounter _tokens = tokens;
    private Conversation? _conversation;
    private ImmutableArray<Message> _history = [];
    private ImmutableDictionary<string, TurnKeyEntry> _turnKeys = ImmutableDictionary<string, TurnKeyEntry>.Empty;

    // Made on the first turn (an idle conversation holds none) and kept in step with _history.
    private UpstreamHistoryCache? _upstreamHistory;

    // The owner's grain, referenced once: making a reference costs more than the call it is for.
    private IUserGrain? _owner;

    // Send and Stream interleave with every other call (so a second turn is refused, not queued),
    // so this flag, set and checked without an await in between, is what keeps turns one at a time.
    private bool _turnRunning;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(Id, cancellationToken);
        if (stored is not null)
        {
            _conversation = stored.Conversation;
            _history = stored.Messages;
            _turnKeys = IdempotentTurns.Prune(
                stored.TurnKeys.ToImmutableDictionary(k => k.Key, k => new TurnKeyEntry(k.RequestHash, k.ReplyMessageId, k.CreatedAt)),
                clock.GetUtcNow());
        }
    }

    public async Task<OneOf<Conversation, ConversationError>> Create(string ownerId, CreateConversation request)
    {
        if (_conversation is not null)
        {
            return new ConversationError.Conflict();
        }

        var itemIds = request.Items.Select(_ => IdGenerator.New(Ids.MessagePrefix)).ToList();
        var settingsDefaults = ConversationSettings.ForModel(defaults.Value.Model);
        var (conversation, items) = ConversationRules.Open(Id, ownerId, clock.GetUtcNow(), request, settingsDefaults, itemIds);
        if (!await store.CreateAsync(conversation, items))
        {
            return new ConversationError.Conflict();
        }

        _conversation = conversation;
        _history = items;
        return conversation;
    }

    public Task<OneOf<Conversation, ConversationError>> Get(string ownerId) =>
        Task.FromResult(Owned(ownerId, out var conversation)
            ? OneOf<Conversation, ConversationError>.FromT0(conversation)
            : OneOf<Conversation, ConversationError>.FromT1(NotFound()));

    public async Task<OneOf<Conversation, ConversationError>> Update(string ownerId, UpdateConversation request)
    {
        if (!Owned(ownerId, out var conversation))
        {
            return NotFound();
        }

        var updated = ConversationRules.Update(conversation, request);
        await store.UpdateAsync(updated);
        // A turn may have finished while the store was written; keep its usage.
        _conversation = updated with { Usage = _conversation!.Usage };
        return _conversation;
    }

    public async Task<OneOf<Conversation, ConversationError>> Delete(string ownerId)
    {
        if (!Owned(ownerId, out var conversation))
        {
            return NotFound();
        }

        if (_turnRunning)
        {
            return ConversationError.BusyError;
        }

        // Forget it before awaiting the store: a turn arriving meanwhile (Send interleaves) must find
        // no conversation, not start one on rows about to vanish.
        _conversation = null;
        _history = [];
        _upstreamHistory = null;
        await store.DeleteAsync(Id);
        DeactivateOnIdle();
        return conversation;
    }

    public Task<OneOf<MessagePage, ConversationError>> ListItems(string ownerId, PageQuery query)
    {
        if (!Owned(ownerId, out _))
        {
            return Task.FromResult(OneOf<MessagePage, ConversationError>.FromT1(NotFound()));
        }

        return Task.FromResult(History.Page(_history, query).Match<OneOf<MessagePage, ConversationError>>(
            page => new MessagePage(page.Items, page.HasMore),
            invalid => new ConversationError.Invalid(invalid)));
    }

    public async Task<OneOf<TurnResult, ConversationError>> Send(string ownerId, SendMessage request, IdempotencyKey? idempotency = null, CancellationToken cancellationToken = default)
    {
        if (Owned(ownerId, out _) && idempotency is not null)
        {
            switch (CheckKey(idempotency))
            {
                case Replayed replayed:
                    return new TurnResult(replayed.UserMessage, replayed.Reply);
                case Refused refused:
                    return refused.Error;
            }
        }

        if (!TryBeginTurn(ownerId, out var conversation, out var refusal, idempotency))
        {
            return refusal;
        }

        using var endable = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, running.Ended);
        try
        {
            var startedAt = clock.GetUtcNow();
            var upstreamRequest = ChatRequestBuilder.Build(conversation.Settings, UpstreamHistory(), request.Content, request.Overrides, stream: false);
            var answer = await upstream.CompleteAsync(upstreamRequest, endable.Token);
            if (answer.TryPickT1(out var upstreamError, out var completion))
            {
                return new ConversationError.Upstream(upstreamError);
            }

            var sequence = History.NextSequence(_history);
            var userMessage = Message.Input(IdGenerator.New(Ids.MessagePrefix), sequence, MessageRole.User, request.Content, startedAt);
            var reply = new Message(
                IdGenerator.New(Ids.MessagePrefix),
                sequence + 1,
                MessageRole.Assistant,
                completion.Content,
                MessageStatus.Completed,
                startedAt,
                completion.Usage,
                completion.Model,
                completion.FinishReason,
                completion.Id);

            var stored = await AppendTurn(conversation, userMessage, reply, idempotency);
            return stored.Match<OneOf<TurnResult, ConversationError>>(
                _ => new TurnResult(userMessage, reply),
                error => error);
        }
        catch (OperationCanceledException) when (running.Ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping and ran out of drain time; nothing was stored, so the client may simply retry.
            return new ConversationError.ShuttingDown();
        }
        finally
        {
            EndTurn(idempotency);
        }
    }

    public async IAsyncEnumerable<TurnEvent> Stream(
        string ownerId,
        SendMessage request,
        IdempotencyKey? idempotency = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Owned(ownerId, out _) && idempotency is not null)
        {
            switch (CheckKey(idempotency))
            {
                case Replayed replayed:
                    yield return new TurnEvent.Started(replayed.Reply.CompletionId, replayed.Reply.CreatedAt, replayed.Reply.Model);
                    if (replayed.Reply.Content.Length > 0)
                    {
                        yield return new TurnEvent.Delta(replayed.Reply.Content);
                    }

                    // The first result, as it was: a reply cut short ends the same way again, not as a success.
                    yield return replayed.Reply.Status == MessageStatus.Completed
                        ? new TurnEvent.Completed(replayed.Reply)
                        : new TurnEvent.Failed(CutShort());
                    yield break;
                case Refused refused:
                    yield return new TurnEvent.Failed(refused.Error);
                    yield break;
            }
        }

        if (!TryBeginTurn(ownerId, out var conversation, out var refusal, idempotency))
        {
            yield return new TurnEvent.Failed(refusal);
            yield break;
        }

        var turn = new StreamedTurn(this, conversation, request, clock.GetUtcNow(), idempotency);
        using var endable = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, running.Ended);
        try
        {
            var upstreamRequest = ChatRequestBuilder.Build(conversation.Settings, UpstreamHistory(), request.Content, request.Overrides, stream: true);
            turn.Prompt = upstreamRequest.Messages;
            var model = upstreamRequest.Model;
            await using var chunks = upstream.StreamAsync(upstreamRequest, endable.Token).GetAsyncEnumerator(endable.Token);
            turn.Draft = StreamFold.Start(IdGenerator.New("chatcmpl-"), turn.StartedAt.ToUnixTimeSeconds(), model);

            while (true)
            {
                var next = await NextChunk(chunks, endable.Token);
                if (next.IsT2)
                {
                    break; // the client went away; the finally block keeps what arrived
                }

                if (next.IsT1)
                {
                    var failure = next.AsT1;
                    if (!turn.Started)
                    {
                        // Refused before anything arrived: nothing to keep, and the host can still answer with a plain error.
                        yield return new TurnEvent.Failed(new ConversationError.Upstream(failure));
                        yield break;
                    }

                    var kept = await turn.Finish();
                    yield return new TurnEvent.Failed(kept.Match(_ => new ConversationError.Upstream(failure), error => error));
                    yield break;
                }

                if (next.AsT0 is not { } item)
                {
                    break; // [DONE]
                }

                turn.Draft = StreamFold.Step(turn.Draft, item);
                if (!turn.Started)
                {
                    turn.Started = true;
                    yield return new TurnEvent.Started(turn.Draft.CompletionId, turn.StartedAt, turn.Draft.Model);
                }

                if (item.ContentDelta.Length > 0)
                {
                    yield return new TurnEvent.Delta(item.ContentDelta);
                }
            }

            if (!cancellationToken.IsCancellationRequested && running.Ended.IsCancellationRequested)
            {
                // The silo is stopping and the drain time ran out: keep what arrived, and say why it stopped.
                if (turn.Started)
                {
                    await turn.Finish();
                }

                yield return new TurnEvent.Failed(new ConversationError.ShuttingDown());
                yield break;
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                if (!turn.Started)
                {
                    yield return new TurnEvent.Failed(new ConversationError.Upstream(
                        new UpstreamError.MalformedResponse("The stream ended before any chunk arrived.")));
                    yield break;
                }

                // Whether the reply is complete is the fold's call: no finish_reason means it was cut short,
                // and a reply kept as incomplete must not be reported to the client as a finished one.
                var finished = await turn.Finish();
                yield return finished.Match<TurnEvent>(
                    reply => reply.Status == MessageStatus.Completed ? new TurnEvent.Completed(reply) : new TurnEvent.Failed(CutShort()),
                    error => new TurnEvent.Failed(error));
            }
        }
        finally
        {
            // Reached with the turn unfinished only when the client went away (or the silo is
            // shutting down): keep what arrived, marked incomplete.
            if (turn.Started && !turn.Finished)
            {
                await turn.Finish();
            }

            // Not unconditionally: a turn that finished in the loop freed the conversation before its last
            // event went out, and the client may have started its next turn since.
            turn.Release();
        }
    }

    /// <summary>The next upstream item: a chunk (null at the end), a failure, or "cancelled".</summary>
    private static async Task<OneOf<ChatCompletionChunk?, UpstreamError, Cancelled>> NextChunk(
        IAsyncEnumerator<OneOf<ChatCompletionChunk, UpstreamError>> chunks,
        CancellationToken cancellationToken)
    {
        try
        {
            if (!await chunks.MoveNextAsync())
            {
                return (ChatCompletionChunk?)null;
            }

            return chunks.Current.Match<OneOf<ChatCompletionChunk?, UpstreamError, Cancelled>>(chunk => chunk, error => error);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return default(Cancelled);
        }
    }

    private readonly record struct Cancelled;

    private static ConversationError CutShort() =>
        new ConversationError.Upstream(new UpstreamError.StreamFailed("The upstream ended the stream before the reply was finished; what arrived is kept as incomplete.", null));

    private UpstreamHistory UpstreamHistory() => (_upstreamHistory ??= new UpstreamHistoryCache()).Snapshot(_history);

    private bool Owned(string ownerId, out Conversation conversation)
    {
        if (_conversation is { } current && current.OwnerId == ownerId)
        {
            conversation = current;
            return true;
        }

        conversation = null!;
        return false;
    }

    private bool TryBeginTurn(string ownerId, out Conversation conversation, out ConversationError refusal, IdempotencyKey? idempotency)
    {
        if (!Owned(ownerId, out conversation))
        {
            refusal = ConversationError.NotFoundError;
            return false;
        }

        if (_turnRunning)
        {
            refusal = ConversationError.BusyError;
            return false;
        }

        if (running.Stopping)
        {
            MoveToAnotherSilo();
            refusal = new ConversationError.ShuttingDown();
            return false;
        }

        _turnRunning = true;
        running.Enter();
        if (idempotency is not null)
        {
            _turnKeys = IdempotentTurns.Begin(_turnKeys, idempotency, clock.GetUtcNow());
        }

        refusal = null!;
        return true;
    }

    /// <summary>
    /// This silo is on its way out (draining): move the conversation to a silo that is staying, now,
    /// so the client's retry finds it there instead of waiting for this one to finish stopping.
    /// Placement alone might choose this silo again, since it is still active while it drains.
    /// </summary>
    private void MoveToAnotherSilo()
    {
        var staying = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(localSilo.SiloAddress))
            .Select(member => member.SiloAddress)
            .ToList();
        if (staying.Count == 0)
        {
            return; // the last silo: nowhere to go, the conversation re-activates when one starts
        }

        RequestContext.Set(Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, staying[Random.Shared.Next(staying.Count)]);
        this.MigrateOnIdle();
    }

    /// <summary>Frees the conversation; a key whose turn stored nothing is freed too, so a retry runs the turn.</summary>
    private void EndTurn(IdempotencyKey? idempotency)
    {
        if (idempotency is not null)
        {
            _turnKeys = IdempotentTurns.Abandon(_turnKeys, idempotency);
        }

        _turnRunning = false;
        running.Exit();
    }

    /// <summary>What an idempotency key says about a turn: run it (null), replay its stored reply, or refuse it.</summary>
    private KeyOutcome? CheckKey(IdempotencyKey idempotency)
    {
        switch (IdempotentTurns.Check(_turnKeys, idempotency, clock.GetUtcNow()))
        {
            case TurnKeyCheck.Replay replay:
                var at = IndexOfMessage(replay.ReplyMessageId);
                return at > 0 ? new Replayed(_history[at - 1], _history[at]) : null;
            case TurnKeyCheck.Reused:
                return new Refused(new ConversationError.IdempotencyKeyReused());
            case TurnKeyCheck.InUse:
                return new Refused(new ConversationError.IdempotencyKeyInUse());
            default:
                return null;
        }
    }

    private int IndexOfMessage(string messageId)
    {
        for (var i = _history.Length - 1; i >= 0; i--)
        {
            if (_history[i].Id == messageId)
            {
                return i;
            }
        }

        return -1;
    }

    private abstract record KeyOutcome;

    private sealed record Replayed(Message UserMessage, Message Reply) : KeyOutcome;

    private sealed record Refused(ConversationError Error) : KeyOutcome;

    private ConversationError NotFound()
    {
        if (_conversation is null)
        {
            // Nothing to hold for an id that does not exist; free the activation.
            DeactivateOnIdle();
        }

        return ConversationError.NotFoundError;
    }

    /// <summary>Stores a turn's two messages and its usage, then takes them into memory.</summary>
    private async Task<OneOf<Message, ConversationError>> AppendTurn(Conversation conversation, Message userMessage, Message reply, IdempotencyKey? idempotency)
    {
        var now = clock.GetUtcNow();
        var key = idempotency is null ? null : new StoredTurnKey(idempotency.Key, idempotency.RequestHash, reply.Id, now);
        var record = new TurnRecord(Id, conversation.OwnerId, [userMessage, reply], reply.Usage, DateOnly.FromDateTime(reply.CreatedAt.UtcDateTime), key);
        try
        {
            await store.AppendTurnAsync(record);
        }
        catch (StaleHistoryException stale)
        {
            // Another activation wrote this conversation (a failover raced us). Our view is stale:
            // drop this activation so the next call reloads the true history.
            LogStaleHistory(logger, Id, stale.Sequence);
            DeactivateOnIdle();
            return new ConversationError.Conflict();
        }

        _history = _history.AddRange(record.Messages);
        _conversation = _conversation! with { Usage = _conversation.Usage.AddTurn(reply.Usage) };
        if (idempotency is not null)
        {
            _turnKeys = IdempotentTurns.Complete(_turnKeys, idempotency, reply.Id, now);
        }

        // Already stored with the turn; the owner's grain only needs today's count for the tokens-per-day limit.
        _owner ??= GrainFactory.GetGrain<IUserGrain>(conversation.OwnerId);
        await _owner.RecordUsage(new UsageTotals(1, reply.Usage), stored: true);
        return reply;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} found sequence {Sequence} already taken; reloading.")]
    private static partial void LogStaleHistory(ILogger logger, string conversationId, long sequence);

    /// <summary>The state of one streamed turn, so the finally block can finish what the loop began.</summary>
    private sealed class StreamedTurn(ConversationGrain grain, Conversation conversation, SendMessage request, DateTimeOffset startedAt, IdempotencyKey? idempotency)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        public TurnDraft Draft { get; set; } = null!;

        /// <summary>What was sent; its tokens are counted only if the upstream never reports usage (counting a long history is costly).</summary>
        public ImmutableArray<UpstreamMessage> Prompt { get; set; } = [];

        public bool Started { get; set; }

        public bool Finished { get; private set; }

        private bool _released;

        public async Task<OneOf<Message, ConversationError>> Finish()
        {
            Finished = true;
            try
            {
                var sequence = History.NextSequence(grain._history);
                var userMessage = Message.Input(IdGenerator.New(Ids.MessagePrefix), sequence, MessageRole.User, request.Content, StartedAt);
                var promptTokens = Draft.Usage is null ? PromptTokens.Count(Prompt, grain._tokens.Count) : 0;
                var reply = StreamFold.ToMessage(Draft, IdGenerator.New(Ids.MessagePrefix), sequence + 1, StartedAt, grain._tokens.Count, promptTokens);
                return await grain.AppendTurn(conversation, userMessage, reply, idempotency);
            }
            finally
            {
                Release();
            }
        }

        /// <summary>Frees the conversation for its next turn, once: later calls must not free a turn that began since.</summary>
        public void Release()
        {
            if (!_released)
            {
                _released = true;
                grain.EndTurn(idempotency);
            }
        }
    }
}
