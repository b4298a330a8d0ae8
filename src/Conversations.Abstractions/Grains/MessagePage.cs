using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Abstractions.Grains;

[GenerateSerializer, Immutable]
public sealed record MessagePage(
    [property: Id(0)] ImmutableArray<Message> Items,
    [property: Id(1)] bool HasMore);
