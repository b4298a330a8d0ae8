using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>The parts of a <c>chat.completion</c> the conversation keeps. A refusal is kept as the content.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatCompletion(
    [property: Id(0)] string Id,
    [property: Id(1)] long Created,
    [property: Id(2)] string Model,
    [property: Id(3)] string Content,
    [property: Id(4)] string FinishReason,
    [property: Id(5)] TokenUsage Usage);
