using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// What one finished (or cut-short) turn appends: its items, the usage to add to the conversation's
/// counters (one request) and to its owner's usage for <paramref name="Day"/> (UTC), and its response
/// when the response is kept for the Responses API.
/// </summary>
/// <param name="Key">The idempotency key the turn was sent with, stored in the same transaction; null for none.</param>
/// <param name="Response">The turn's response, stored in the same transaction; null when it is not kept.</param>
public sealed record TurnRecord(
    string ConversationId,
    string OwnerId,
    ImmutableArray<Item> Items,
    TokenUsage Usage,
    DateOnly Day,
    StoredTurnKey? Key = null,
    ResponseRecord? Response = null)
{
    /// <summary>The record of a turn the conversation's rules decided to store.</summary>
    public static TurnRecord Of(string ownerId, ConversationEvent.TurnStored stored) =>
        new(
            stored.Response.ConversationId!,
            ownerId,
            stored.Items,
            stored.Response.Usage ?? TokenUsage.Zero,
            stored.Day,
            stored.Key is { } key ? new StoredTurnKey(key.Key, key.RequestHash, stored.KeyResult, stored.At) : null,
            stored.Response.Stored ? stored.Response : null);
}
