namespace Conversations.Core.Wire.Responses;

public sealed record OutputTokensDetailsObject(long ReasoningTokens);
