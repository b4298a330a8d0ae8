namespace Conversations.Core.Wire;

/// <summary>OpenAI's error envelope: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record ErrorEnvelope(ErrorBody Error);
