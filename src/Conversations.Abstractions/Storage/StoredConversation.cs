using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// A conversation and its whole history, in sequence order, as loaded on activation, with the
/// idempotency keys of its turns.
/// </summary>
public sealed record StoredConversation(Conversation Conversation, ImmutableArray<Message> Messages, ImmutableArray<StoredTurnKey> TurnKeys)
{
    public StoredConversation(Conversation conversation, ImmutableArray<Message> messages)
        : this(conversation, messages, [])
    {
    }
}
