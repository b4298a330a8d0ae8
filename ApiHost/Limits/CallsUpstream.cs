namespace Conversations.ApiHost.Limits;

/// <summary>Endpoint metadata: this route sends a request upstream, so it counts against the caller's limits.</summary>
public sealed class CallsUpstream
{
    public static readonly CallsUpstream Instance = new();

    private CallsUpstream()
    {
    }
}
