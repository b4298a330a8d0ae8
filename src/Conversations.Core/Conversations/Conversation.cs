using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Conversations;

/// <summary>A conversation's identity, owner and settings. Its history is kept beside it, not in it.</summary>
[GenerateSerializer, Immutable]
public sealed record Conversation(
    [property: Id(0)] string Id,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] ImmutableSortedDictionary<string, string> Metadata,
    [property: Id(4)] ConversationSettings Settings,
    [property: Id(5)] ConversationUsage Usage);
