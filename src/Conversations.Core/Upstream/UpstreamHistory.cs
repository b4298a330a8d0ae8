using System.Collections.Immutable;

namespace Conversations.Core.Upstream;

/// <summary>
/// The leading, settled part of a conversation's history as the upstream is sent it (see
/// <see cref="UpstreamItems.SettledItems"/>): the messages its items make (those that go: see
/// <see cref="ChatRequestBuilder.IsSent"/>) and the same messages written as JSON
/// (<see cref="PreparedMessages"/> segments, comma-separated, with no leading or trailing comma).
/// </summary>
public sealed record UpstreamHistory(ImmutableArray<UpstreamMessage> Messages, ImmutableArray<ReadOnlyMemory<byte>> Json)
{
    public static readonly UpstreamHistory Empty = new([], []);
}
