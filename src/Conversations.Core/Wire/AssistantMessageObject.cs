namespace Conversations.Core.Wire;

public sealed record AssistantMessageObject(string Role, string Content, string? Refusal);
