namespace Conversations.Core.Messages;

/// <summary>Message roles by their wire names.</summary>
public static class Roles
{
    public static string ToWire(MessageRole role) => role switch
    {
        MessageRole.System => "system",
        MessageRole.Developer => "developer",
        MessageRole.User => "user",
        MessageRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    /// <summary>The role for a wire name, or null for anything else (tool messages are not stored).</summary>
    public static MessageRole? FromWire(string name) => name switch
    {
        "system" => MessageRole.System,
        "developer" => MessageRole.Developer,
        "user" => MessageRole.User,
        "assistant" => MessageRole.Assistant,
        _ => null,
    };
}
