namespace Conversations.ApiHost.Streaming;

/// <summary>What reading a grain's event stream brought, once the stream is under way (its end is the end of the reads).</summary>
public abstract record GrainRead<TEvent>
{
    /// <summary>The grain's next event.</summary>
    public sealed record Event(TEvent Value) : GrainRead<TEvent>;

    /// <summary>The grain's silo went away mid-stream: nothing more will come. Always the last read.</summary>
    public sealed record SiloLost : GrainRead<TEvent>;

    /// <summary>This host is stopping and the stream's drain time ran out. Always the last read.</summary>
    public sealed record Drained : GrainRead<TEvent>;
}
