using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>
/// The parts of a <c>chat.completion.chunk</c> the conversation keeps. <see cref="Usage"/> is present
/// only on the usage chunk (the one with <c>choices: []</c>); <see cref="FinishReason"/> is empty until
/// the last content chunk.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatCompletionChunk(
    [property: Id(0)] string Id,
    [property: Id(1)] long Created,
    [property: Id(2)] string Model,
    [property: Id(3)] string ContentDelta,
    [property: Id(4)] string FinishReason,
    [property: Id(5)] TokenUsage? Usage);
