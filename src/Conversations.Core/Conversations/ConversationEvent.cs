using System.Collections.Immutable;
using Conversations.Core.Messages;
using Conversations.Core.Requests;

namespace Conversations.Core.Conversations;

/// <summary>
/// What happened to a conversation. <see cref="Created"/>, <see cref="Updated"/>, <see cref="Deleted"/> and
/// <see cref="TurnStored"/> are written to the store before they are applied; the turn's begin and end
/// live only in memory (a turn is stored whole or not at all). <see cref="TurnReplayed"/> changes nothing.
/// </summary>
public abstract record ConversationEvent
{
    public sealed record Created(Conversation Conversation, ImmutableArray<Message> Items) : ConversationEvent;

    public sealed record Updated(ImmutableSortedDictionary<string, string> Metadata, ConversationSettings Settings) : ConversationEvent;

    public sealed record Deleted(Conversation Conversation) : ConversationEvent;

    public sealed record TurnBegan(IdempotencyKey? Key, DateTimeOffset At) : ConversationEvent;

    /// <summary>A repeat of a turn already stored under the same idempotency key: its messages, answered again.</summary>
    public sealed record TurnReplayed(Message UserMessage, Message Reply) : ConversationEvent;

    /// <summary>
    /// A turn's two messages and its usage (the reply's), counted on <paramref name="Day"/> (UTC), with the
    /// idempotency key it came with, which is stored in the same transaction.
    /// </summary>
    public sealed record TurnStored(Message UserMessage, Message Reply, DateOnly Day, IdempotencyKey? Key, DateTimeOffset At) : ConversationEvent
    {
        public ImmutableArray<Message> Messages => [UserMessage, Reply];
    }

    public sealed record TurnEnded : ConversationEvent;
}
