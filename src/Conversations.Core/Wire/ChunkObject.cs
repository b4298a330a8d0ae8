namespace Conversations.Core.Wire;

/// <summary>
/// A <c>chat.completion.chunk</c>. As with <c>stream_options.include_usage</c>, every chunk carries
/// <c>usage: null</c> except the last, which has <c>choices: []</c> and the usage.
/// </summary>
public sealed record ChunkObject(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChunkChoiceObject> Choices,
    UsageObject? Usage);
