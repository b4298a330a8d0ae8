using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>
/// An assistant reply being assembled from stream chunks. Content is kept as its parts and joined
/// once at the end, so folding n chunks costs O(n), not O(n²).
/// </summary>
/// <param name="Usage">Null until the usage chunk arrives; a reply cut short before then has none.</param>
/// <param name="Whole">The reply arrived in one piece (a single-shot completion), so it is complete whether or
/// not the upstream named a finish reason.</param>
[GenerateSerializer, Immutable]
public sealed record TurnDraft(
    [property: Id(0)] string CompletionId,
    [property: Id(1)] long Created,
    [property: Id(2)] string Model,
    [property: Id(3)] ImmutableList<string> Parts,
    [property: Id(4)] string FinishReason,
    [property: Id(5)] TokenUsage? Usage,
    [property: Id(6)] int ContentLength,
    [property: Id(7)] bool Whole = false);
