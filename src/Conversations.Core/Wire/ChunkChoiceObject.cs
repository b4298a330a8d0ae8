namespace Conversations.Core.Wire;

public sealed record ChunkChoiceObject(int Index, DeltaObject Delta, object? Logprobs, string? FinishReason);
