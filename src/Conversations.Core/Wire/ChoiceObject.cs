namespace Conversations.Core.Wire;

public sealed record ChoiceObject(int Index, AssistantMessageObject Message, object? Logprobs, string? FinishReason);
