using System.Collections.Immutable;

namespace Conversations.Core.Upstream;

/// <summary>
/// One output item being assembled from stream chunks: an assistant message or a function call. Text is
/// kept as its pieces and joined once at the end, so folding n chunks costs O(n), not O(n²).
/// </summary>
/// <param name="Id">The item's id (<c>msg_…</c>, <c>fc_…</c>).</param>
[GenerateSerializer, Immutable]
public abstract record DraftItem([property: Id(0)] string Id)
{
    /// <summary>An assistant message: what it has said so far, and what it has refused so far.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Message(
        string Id,
        [property: Id(0)] ImmutableList<string> Text,
        [property: Id(1)] ImmutableList<string> Refusal) : DraftItem(Id);

    /// <summary>A function call: the upstream's tool call at <see cref="Index"/>, with its arguments so far.</summary>
    /// <param name="CallId">The upstream's id for the call (<c>call_…</c>), or one made up when it sent none.</param>
    [GenerateSerializer, Immutable]
    public sealed record Call(
        string Id,
        [property: Id(0)] int Index,
        [property: Id(1)] string CallId,
        [property: Id(2)] string Name,
        [property: Id(3)] ImmutableList<string> Arguments) : DraftItem(Id);
}
