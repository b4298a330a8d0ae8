namespace Conversations.Core.Wire;

/// <summary>A <c>chat.completion</c>, exactly as the Chat Completions API returns one.</summary>
public sealed record ChatCompletionObject(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChoiceObject> Choices,
    UsageObject Usage);
