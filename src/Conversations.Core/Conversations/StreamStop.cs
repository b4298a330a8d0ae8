using Conversations.Core.Upstream;

namespace Conversations.Core.Conversations;

/// <summary>Why an upstream stream stopped before the client left.</summary>
public abstract record StreamStop
{
    /// <summary>The upstream closed the stream (with <c>[DONE]</c> or without).</summary>
    public sealed record Finished : StreamStop;

    public sealed record Failed(UpstreamError Error) : StreamStop;

    /// <summary>The silo is stopping and the turn's drain time ran out.</summary>
    public sealed record Drained : StreamStop;
}
