using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// A conversation and its items, in sequence order (deleted ones left out), as loaded on activation, with
/// the last position ever taken (a deleted item's included) and the idempotency keys of its turns.
/// </summary>
public sealed record StoredConversation(Conversation Conversation, ImmutableArray<Item> Items, ImmutableArray<StoredTurnKey> TurnKeys, long LastSequence)
{
    public StoredConversation(Conversation conversation, ImmutableArray<Item> items)
        : this(conversation, items, [], items.IsEmpty ? 0 : items[^1].Sequence)
    {
    }
}
