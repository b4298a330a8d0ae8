namespace Conversations.Core.Tests.Wire.Responses;

/// <summary>
/// A test that drives the official Node SDK: it runs only where <c>node</c> and <c>npm</c> are on the
/// PATH (and <c>CONVERSATIONS_SKIP_NODE_SDK</c> is not set), so the default run elsewhere skips it.
/// </summary>
public sealed class NodeSdkFactAttribute : FactAttribute
{
    public NodeSdkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CONVERSATIONS_SKIP_NODE_SDK") is { Length: > 0 })
        {
            Skip = "CONVERSATIONS_SKIP_NODE_SDK is set.";
        }
        else if (!OnPath("node") || !OnPath("npm"))
        {
            Skip = "node and npm are not on the PATH.";
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
