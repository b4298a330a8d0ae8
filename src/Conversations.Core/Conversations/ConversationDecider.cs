using System.Collections.Immutable;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Core.Conversations;

/// <summary>
/// A conversation's rules in one place: <see cref="Decide"/> answers a command with what happens (or why
/// not), and <see cref="Evolve"/> applies what happened. Both are pure: ids, time and token counting are
/// handed in. The grain only loads the state, asks, performs the I/O the answer names, and evolves.
/// </summary>
public static class ConversationDecider
{
    public static OneOf<ConversationEvent, ConversationError> Decide(ConversationState state, ConversationCommand command, DateTimeOffset now) =>
        command switch
        {
            ConversationCommand.Create create => DecideCreate(state, create, now),
            ConversationCommand.Update update => DecideUpdate(state, update),
            ConversationCommand.Delete delete => DecideDelete(state, delete),
            ConversationCommand.BeginTurn begin => DecideBeginTurn(state, begin, now),
            ConversationCommand.CompleteTurn complete => DecideCompleteTurn(state, complete, now),
            ConversationCommand.EndTurn => new ConversationEvent.TurnEnded(),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown conversation command."),
        };

    public static ConversationState Evolve(ConversationState state, ConversationEvent @event) => @event switch
    {
        ConversationEvent.Created created => new ConversationState(created.Conversation, created.Items, state.TurnKeys, TurnStatus.IdleStatus),
        ConversationEvent.Updated updated => state with
        {
            Conversation = state.Conversation! with { Metadata = updated.Metadata, Settings = updated.Settings },
        },
        ConversationEvent.Deleted => ConversationState.None,
        ConversationEvent.TurnBegan began => state with
        {
            Turn = new TurnStatus.Running(began.Key, began.At),
            TurnKeys = began.Key is { } key ? IdempotentTurns.Begin(state.TurnKeys, key, began.At) : state.TurnKeys,
        },
        ConversationEvent.TurnReplayed => state,
        ConversationEvent.TurnStored stored => state with
        {
            Conversation = state.Conversation! with { Usage = state.Conversation.Usage.AddTurn(stored.Reply.Usage) },
            History = state.History.AddRange(stored.Messages),
            TurnKeys = stored.Key is { } key ? IdempotentTurns.Complete(state.TurnKeys, key, stored.Reply.Id, stored.At) : state.TurnKeys,
        },
        ConversationEvent.TurnEnded => state with
        {
            // A key whose turn stored nothing is freed, so a retry runs the turn.
            TurnKeys = state.Turn is TurnStatus.Running { Key: { } key } ? IdempotentTurns.Abandon(state.TurnKeys, key) : state.TurnKeys,
            Turn = TurnStatus.IdleStatus,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "Unknown conversation event."),
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
    /// The order matters: a repeat of a stored turn is answered even while another turn runs (it runs
    /// nothing); then an unknown conversation, then a busy one, then a stopping silo.
    /// </summary>
    private static OneOf<ConversationEvent, ConversationError> DecideBeginTurn(ConversationState state, ConversationCommand.BeginTurn begin, DateTimeOffset now)
    {
        var owned = state.OwnedBy(begin.OwnerId);
        if (owned is not null && begin.Key is { } key)
        {
            switch (IdempotentTurns.Check(state.TurnKeys, key, now))
            {
                case TurnKeyCheck.Replay replay when History.IndexOf(state.History, replay.ReplyMessageId) is > 0 and var at:
                    return new ConversationEvent.TurnReplayed(state.History[at - 1], state.History[at]);
                case TurnKeyCheck.Reused:
                    return new ConversationError.IdempotencyKeyReused();
                case TurnKeyCheck.InUse:
                    return new ConversationError.IdempotencyKeyInUse();
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

    /// <summary>The user's message and the reply, numbered after the history; the reply complete only if the upstream said why it stopped.</summary>
    private static OneOf<ConversationEvent, ConversationError> DecideCompleteTurn(ConversationState state, ConversationCommand.CompleteTurn complete, DateTimeOffset now)
    {
        if (state.Turn is not TurnStatus.Running running || state.Conversation is null)
        {
            // Only a turn that began can be kept; anything else means this activation lost track of it.
            return new ConversationError.Conflict();
        }

        var sequence = History.NextSequence(state.History);
        var userMessage = Message.Input(complete.UserMessageId, sequence, MessageRole.User, complete.UserContent, running.StartedAt);
        var promptTokens = complete.Draft.Usage is null ? PromptTokens.Count(complete.Prompt, complete.CountTokens) : 0;
        var reply = StreamFold.ToMessage(complete.Draft, complete.ReplyId, sequence + 1, running.StartedAt, complete.CountTokens, promptTokens);
        return new ConversationEvent.TurnStored(userMessage, reply, DateOnly.FromDateTime(reply.CreatedAt.UtcDateTime), running.Key, now);
    }
}
