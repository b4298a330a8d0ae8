using Conversations.Core.Messages;

namespace Conversations.Abstractions.Grains;

/// <summary>A finished single-shot turn: both of its messages are stored by the time this is returned.</summary>
[GenerateSerializer, Immutable]
public sealed record TurnResult(
    [property: Id(0)] Message UserMessage,
    [property: Id(1)] Message Reply);
