using System.Collections.Immutable;
using Conversations.Core.Errors;
using Conversations.Core.Idempotency;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using OneOf;

namespace Conversations.Core.Conversations;

/// <summary>
/// A conversation's rules in one place: <see cref="Decide"/> answers a command with what happens (or why
/// not), and <see cref="Evolve"/> applies what happened. Both are pure: ids and time are handed in. The
/// grain only loads the state, asks, performs the I/O the answer names, and evolves.
/// </summary>
public static class ConversationDecider
{
    public static OneOf<ConversationEvent, ConversationError> Decide(ConversationState state, ConversationCommand command, DateTimeOffset now) =>
        command switch
        {
            ConversationCommand.Create create => DecideCreate(state, create, now),
            ConversationCommand.Update update => DecideUpdate(state, update),
            ConversationCommand.Delete delete => DecideDelete(state, delete),
            ConversationCommand.AppendItems append => DecideAppendItems(state, append, now),
            ConversationCommand.DeleteItem delete => DecideDeleteItem(state, delete),
            ConversationCommand.BeginTurn begin => DecideBeginTurn(state, begin, now),
            ConversationCommand.CompleteTurn complete => DecideCompleteTurn(state, complete, now),
            ConversationCommand.EndTurn => new ConversationEvent.TurnEnded(),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown conversation command."),
        };

    public static ConversationState Evolve(ConversationState state, ConversationEvent @event) => @event switch
    {
        ConversationEvent.Created created => new ConversationState(created.Conversation, created.Items, LastOf(created.Items, 0), state.TurnKeys, TurnStatus.IdleStatus),
        ConversationEvent.Updated updated when state.Conversation is { } conversation => state with
        {
            Conversation = conversation with { Metadata = updated.Metadata, Settings = updated.Settings },
        },
        ConversationEvent.Deleted => ConversationState.None,
        ConversationEvent.ItemsAppended appended => state with
        {
            History = state.History.AddRange(appended.Items),
            LastSequence = LastOf(appended.Items, state.LastSequence),
        },
        ConversationEvent.ItemDeleted deleted => state with { History = state.History.Remove(deleted.Item) },
        ConversationEvent.TurnBegan began => state with
        {
            Turn = new TurnStatus.Running(began.Key, began.At),
            TurnKeys = began.Key is { } key ? state.TurnKeys.SetItem(key.Key, new KeyRecord<string>.Running(key.RequestHash, began.At)) : state.TurnKeys,
        },
        ConversationEvent.TurnStored stored when state.Conversation is { } conversation => state with
        {
            Conversation = conversation with { Usage = conversation.Usage.AddTurn(stored.Response.Usage ?? Messages.TokenUsage.Zero) },
            History = state.History.AddRange(stored.Items),
            LastSequence = LastOf(stored.Items, state.LastSequence),
            TurnKeys = stored.Key is { } key
                ? state.TurnKeys.SetItem(key.Key, IdempotencyRules.Complete(key.RequestHash, stored.KeyResult, stored.At))
                : state.TurnKeys,
        },
        ConversationEvent.TurnEnded => state with
        {
            // A key whose turn stored nothing is freed, so a retry runs the turn.
            TurnKeys = state.Turn is TurnStatus.Running { Key: { } key } ? Release(state.TurnKeys, key) : state.TurnKeys,
            Turn = TurnStatus.IdleStatus,
        },
        _ => state,
    };

    private static OneOf<ConversationEvent, ConversationError> DecideCreate(ConversationState state, ConversationCommand.Create create, DateTimeOffset now)
    {
        if (state.Conversation is not null)
        {
            return new ConversationError.Conflict();
        }

        var (conversation, items) = ConversationRules.Open(create.Id, create.OwnerId, now, create.Request, create.Defaults, create.ItemIds);
        return new ConversationEvent.Created(conversation, items);
    }

    /// <summary>Metadata is replaced, settings merged; the usage is not the request's to change.</summary>
    private static OneOf<ConversationEvent, ConversationError> DecideUpdate(ConversationState state, ConversationCommand.Update update)
    {
        if (state.OwnedBy(update.OwnerId) is not { } conversation)
        {
            return ConversationError.NotFoundError;
        }

        var updated = ConversationRules.Update(conversation, update.Request);
        return new ConversationEvent.Updated(updated.Metadata, updated.Settings);
    }

    private static OneOf<ConversationEvent, ConversationError> DecideDelete(ConversationState state, ConversationCommand.Delete delete)
    {
        if (state.OwnedBy(delete.OwnerId) is not { } conversation)
        {
            return ConversationError.NotFoundError;
        }

        return state.IsRunningTurn ? ConversationError.BusyError : new ConversationEvent.Deleted(conversation);
    }

    /// <summary>
    /// Items join the history as a turn's would, so not while a turn runs: the turn's own items are placed
    /// after the history as it was when the turn began.
    /// </summary>
    private static OneOf<ConversationEvent, ConversationError> DecideAppendItems(ConversationState state, ConversationCommand.AppendItems append, DateTimeOffset now)
    {
        if (state.OwnedBy(append.OwnerId) is null)
        {
            return ConversationError.NotFoundError;
        }

        return state.IsRunningTurn
            ? ConversationError.BusyError
            : new ConversationEvent.ItemsAppended(ItemIds.Place(append.Items, append.ItemIds, state.NextSequence, now));
    }

    private static OneOf<ConversationEvent, ConversationError> DecideDeleteItem(ConversationState state, ConversationCommand.DeleteItem delete)
    {
        if (state.OwnedBy(delete.OwnerId) is null)
        {
            return ConversationError.NotFoundError;
        }

        if (state.IsRunningTurn)
        {
            return ConversationError.BusyError;
        }

        var at = History.IndexOf(state.History, delete.ItemId);
        return at < 0 ? new ConversationError.ItemNotFound(delete.ItemId) : new ConversationEvent.ItemDeleted(state.History[at]);
    }

    /// <summary>
    /// The order matters: a repeat of a stored turn is answered even while another turn runs (it runs
    /// nothing); then an unknown conversation, then a busy one, then a stopping silo.
    /// </summary>
    private static OneOf<ConversationEvent, ConversationError> DecideBeginTurn(ConversationState state, ConversationCommand.BeginTurn begin, DateTimeOffset now)
    {
        var owned = state.OwnedBy(begin.OwnerId);
        if (owned is not null && begin.Key is { Implicit: true, IsRetry: true } retry
            && state.TurnKeys.GetValueOrDefault(retry.Key) is KeyRecord<string>.Completed last
            && last.RequestHash == retry.RequestHash && now < last.At + Requests.IdempotencyKey.RetryWindow
            && Replayed(owned, state, last.Result) is { } retried)
        {
            // The same request again, moments after the turn it made: an SDK's retry of an answer that was lost.
            return retried;
        }

        if (owned is not null && begin.Key is { Implicit: false } key)
        {
            switch (IdempotencyRules.Decide(state.TurnKeys.GetValueOrDefault(key.Key), key.RequestHash, now))
            {
                case KeyDecision<string>.Replay replay when Replayed(owned, state, replay.Result) is { } replayed:
                    return replayed;
                case KeyDecision<string>.Refused refused:
                    return new ConversationError.KeyRefused(refused.Refusal);
            }
        }

        if (owned is null)
        {
            return ConversationError.NotFoundError;
        }

        if (state.IsRunningTurn)
        {
            return ConversationError.BusyError;
        }

        return begin.Stopping ? new ConversationError.ShuttingDown() : new ConversationEvent.TurnBegan(begin.Key, now);
    }

    /// <summary>The turn's input, then its output, numbered after the history; its usage counted on the day it began.</summary>
    private static OneOf<ConversationEvent, ConversationError> DecideCompleteTurn(ConversationState state, ConversationCommand.CompleteTurn complete, DateTimeOffset now)
    {
        if (state.Turn is not TurnStatus.Running running || state.Conversation is null)
        {
            // Only a turn that began can be kept; anything else means this activation lost track of it.
            return new ConversationError.Conflict();
        }

        var response = complete.Response;
        var input = ItemIds.Number(response.Input, state.NextSequence);
        var output = ItemIds.Number(response.Output, state.NextSequence + input.Length);
        var numbered = response with { Input = input, Output = output, ConversationId = state.Conversation.Id };
        return new ConversationEvent.TurnStored(numbered, DateOnly.FromDateTime(response.CreatedAt.UtcDateTime), running.Key, now);
    }

    /// <summary>The stored turn a key names: its stored response by id, or rebuilt from its last item; null if that item is gone.</summary>
    private static ConversationEvent.TurnReplayed? Replayed(Conversation conversation, ConversationState state, string result)
    {
        if (result.StartsWith(ResponseIds.Prefix, StringComparison.Ordinal))
        {
            return new ConversationEvent.TurnReplayed(null, result);
        }

        var (lastItemId, responseId) = result.Split(ConversationEvent.TurnStored.UnstoredSeparator) is [var item, var id] ? (item, id) : (result, "");
        return History.IndexOf(state.History, lastItemId) is >= 0 and var at
            ? new ConversationEvent.TurnReplayed(TurnResponses.FromHistory(responseId, conversation, state.History, at), responseId)
            : null;
    }

    private static long LastOf(ImmutableArray<Item> items, long lastSequence) =>
        items.IsEmpty ? lastSequence : Math.Max(lastSequence, items[^1].Sequence);

    private static ImmutableDictionary<string, KeyRecord<string>> Release(ImmutableDictionary<string, KeyRecord<string>> keys, Requests.IdempotencyKey key) =>
        IdempotencyRules.Release(keys.GetValueOrDefault(key.Key), key.RequestHash) is { } kept ? keys.SetItem(key.Key, kept) : keys.Remove(key.Key);
}
