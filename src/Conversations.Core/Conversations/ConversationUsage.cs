using Conversations.Core.Messages;

namespace Conversations.Core.Conversations;

/// <summary>What a conversation has consumed so far: turns sent upstream and their tokens.</summary>
[GenerateSerializer, Immutable]
public sealed record ConversationUsage(
    [property: Id(0)] long Requests,
    [property: Id(1)] TokenUsage Tokens)
{
    public static readonly ConversationUsage None = new(0, TokenUsage.Zero);

    public ConversationUsage AddTurn(TokenUsage tokens) => new(Requests + 1, Tokens.Add(tokens));
}
