using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// What one finished (or cut-short) turn appends: its messages, and the usage to add to the
/// conversation's counters (one request) and to its owner's usage for <paramref name="Day"/> (UTC).
/// </summary>
/// <param name="Key">The idempotency key the turn was sent with, stored in the same transaction; null for none.</param>
public sealed record TurnRecord(
    string ConversationId,
    string OwnerId,
    ImmutableArray<Message> Messages,
    TokenUsage Usage,
    DateOnly Day,
    StoredTurnKey? Key = null)
{
    /// <summary>The record of a turn the conversation's rules decided to store.</summary>
    public static TurnRecord Of(string conversationId, string ownerId, ConversationEvent.TurnStored stored) =>
        new(
            conversationId,
            ownerId,
            stored.Messages,
            stored.Reply.Usage,
            stored.Day,
            stored.Key is { } key ? new StoredTurnKey(key.Key, key.RequestHash, stored.Reply.Id, stored.At) : null);
}
