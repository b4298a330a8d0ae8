using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Responses;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// Where a streamed response stands, between events: what <see cref="ResponseStream"/> needs to number
/// the next event, to address the item being streamed, and to report the output so far if the stream
/// fails.
/// </summary>
/// <param name="Response">The response as it started (its model updated once the upstream names it).</param>
/// <param name="NextSequence">The <c>sequence_number</c> of the next event.</param>
/// <param name="Output">The output items whose <c>response.output_item.done</c> was sent, in order.</param>
/// <param name="Current">The item being streamed (added, not yet done), if any.</param>
public sealed record ResponseStreamState(
    ResponseRecord Response,
    int NextSequence,
    ImmutableList<Item> Output,
    ResponseStreamState.OpenItem? Current)
{
    /// <summary>An output item that was added and is not done yet.</summary>
    /// <param name="Added">The item as announced: in progress, with no content or arguments.</param>
    /// <param name="Parts">The content parts opened so far (messages).</param>
    /// <param name="Arguments">The arguments streamed so far (function calls), as their deltas.</param>
    public sealed record OpenItem(int OutputIndex, Item Added, ImmutableList<OpenPart> Parts, ImmutableList<string> Arguments);

    /// <summary>A content part opened by <c>response.content_part.added</c>, with the text streamed into it as its deltas.</summary>
    public sealed record OpenPart(bool IsRefusal, ImmutableList<string> Chunks);
}
