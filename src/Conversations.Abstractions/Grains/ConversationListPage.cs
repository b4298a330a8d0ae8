using System.Collections.Immutable;
using Conversations.Core.Conversations;

namespace Conversations.Abstractions.Grains;

[GenerateSerializer, Immutable]
public sealed record ConversationListPage(
    [property: Id(0)] ImmutableArray<Conversation> Items,
    [property: Id(1)] bool HasMore);
