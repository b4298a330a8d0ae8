namespace Conversations.Grains;

/// <summary>What a new conversation starts with when its create request leaves a setting out.</summary>
public sealed class ConversationDefaults
{
    /// <summary><c>offline</c> when no upstream is configured, else a real model (see UpstreamOptions).</summary>
    public string Model { get; set; } = "offline";
}
