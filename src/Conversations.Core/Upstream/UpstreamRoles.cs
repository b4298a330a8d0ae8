using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>The Chat Completions names of the roles a stored conversation has, and of the role that answers a tool call.</summary>
public static class UpstreamRoles
{
    public const string System = "system";
    public const string Developer = "developer";
    public const string User = "user";
    public const string Assistant = "assistant";

    /// <summary>A message holding a tool's result; it names the call it answers.</summary>
    public const string Tool = "tool";

    public static string WireName(MessageRole role) => role switch
    {
        MessageRole.System => System,
        MessageRole.Developer => Developer,
        MessageRole.User => User,
        MessageRole.Assistant => Assistant,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "A stored message has no other role."),
    };
}
