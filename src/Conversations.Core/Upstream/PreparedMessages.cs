using System.Collections.Immutable;

namespace Conversations.Core.Upstream;

/// <summary>
/// A request's <c>messages</c> already written as JSON: the segments, concatenated as they are, are the
/// comma-separated message objects between the array's brackets. A conversation keeps its history
/// written this way and extends it turn by turn, so a turn's request costs the same however long the
/// history is.
/// </summary>
public sealed record PreparedMessages(ImmutableArray<ReadOnlyMemory<byte>> Segments)
{
    public long Length
    {
        get
        {
            var total = 0L;
            foreach (var segment in Segments)
            {
                total += segment.Length;
            }

            return total;
        }
    }
}
