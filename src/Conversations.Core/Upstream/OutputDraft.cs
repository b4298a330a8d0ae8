using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>
/// A turn's output being assembled from stream chunks (see <see cref="OutputFold"/>): the upstream's
/// completion id, time and model (placeholders until a chunk carries its own), the output items so far in
/// order, why the upstream stopped, and its usage.
/// </summary>
/// <param name="CreatedAt">When the turn began: every output item's creation time.</param>
/// <param name="FirstSequence">The position the first output item takes; the others follow it.</param>
/// <param name="Items">The output items so far; the last one is the one still being written (the open item).</param>
/// <param name="FinishReason">Empty until the upstream says why it stopped.</param>
/// <param name="Usage">Null until the usage chunk arrives; a turn cut short before then has none.</param>
/// <param name="Whole">The output arrived in one piece (a single-shot completion), so it is finished whether
/// or not the upstream named a finish reason.</param>
[GenerateSerializer, Immutable]
public sealed record OutputDraft(
    [property: Id(0)] string CompletionId,
    [property: Id(1)] long Created,
    [property: Id(2)] string Model,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] long FirstSequence,
    [property: Id(5)] ImmutableList<DraftItem> Items,
    [property: Id(6)] string FinishReason,
    [property: Id(7)] TokenUsage? Usage,
    [property: Id(8)] bool Whole = false)
{
    /// <summary>
    /// The lengths of the deltas the turn's events carried, in order (a refusal's negative), so its stream
    /// can be told again exactly: a client resuming it counts on the same events at the same numbers.
    /// </summary>
    [Id(9)]
    public ImmutableList<int> Shape { get; init; } = ImmutableList<int>.Empty;
}
