using System.Collections.Immutable;

namespace Conversations.Core.Upstream;

/// <summary>
/// A run of items in the form the upstream is sent them (see <see cref="ChatRequestBuilder.ForUpstream(ReadOnlySpan{Items.Item}, bool)"/>):
/// the messages they make and each message's JSON as one segment, as it appears in <c>messages</c> (after
/// a comma when it follows another), and how much of the run is settled.
/// </summary>
/// <param name="SettledItems">
/// How many of the leading items make messages that stay the same whatever items come after the run. That
/// is all of them, unless the last message could still take in items that follow (an assistant message
/// that function calls may join): then it is the position of that message's first item.
/// </param>
/// <param name="SettledMessages">How many of the leading messages the settled items make: all but an open last one.</param>
public sealed record UpstreamItems(
    ImmutableArray<UpstreamMessage> Messages,
    ImmutableArray<ReadOnlyMemory<byte>> Json,
    int SettledItems,
    int SettledMessages)
{
    /// <summary>For each message, the position in the run of the first item that made it.</summary>
    public ImmutableArray<int> ItemStarts { get; init; } = [];

    /// <summary>The message that holds the item at <paramref name="item"/> (or, for an item not sent, the one before it); 0 when none does.</summary>
    public int MessageOf(int item)
    {
        var at = ItemStarts.AsSpan().BinarySearch(item);
        return at >= 0 ? at : Math.Max(0, ~at - 1);
    }
}
