using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Conversations.Testing.Node;

/// <summary>
/// The official Node SDK (<c>openai</c> 7.55.0) as tests run it: <c>node</c> from the PATH and the SDK from the
/// folder <c>install-sdk.sh</c> (next to this file, run by <c>./test.sh</c>) installs it into, outside the
/// repository. A machine without either fails the test and says how to install them: the SDK tests never skip.
/// </summary>
public static class NodeSdk
{
    public const string Version = "7.55.0";

    private const string InstallHint =
        "Run ./test.sh, which installs Node.js (apt-get) and the SDK (npm) first, or install Node.js 20+ and run tests/Conversations.Testing/Node/install-sdk.sh once.";

    /// <summary>Where the SDK is installed: <c>$OPENAI_NODE_SDK_DIR</c>, else <c>openai-node-sdk-7.55.0</c> in the temp folder, as install-sdk.sh chooses.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("OPENAI_NODE_SDK_DIR") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), $"openai-node-sdk-{Version}");

    /// <summary>
    /// Runs <paramref name="script"/> with <c>node</c>, the SDK's folder in <c>CONV_SDK_DIR</c> (the scripts import the
    /// SDK from there) and <paramref name="environment"/> set; fails the test first if node or the SDK is missing.
    /// </summary>
    public static async Task<NodeRun> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var node = NodeOnPath();
        var folder = InstalledFolder();
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CONV_SDK_DIR"] = folder;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {Path.GetFileName(script)} did not finish within {timeout}:\n{await output}\n{await error}");
        }

        return new NodeRun(process.ExitCode, await output, await error);
    }

    private static string NodeOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"node is not on the PATH, so the official Node SDK cannot be run. {InstallHint}");
        return "";
    }

    private static string InstalledFolder()
    {
        var folder = Folder;
        var package = Path.Combine(folder, "node_modules", "openai", "package.json");
        string? version = null;
        if (File.Exists(package))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(package));
            version = json.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
        }

        Assert.True(
            version == Version,
            $"The official Node SDK openai@{Version} is not installed in {folder} (found {version ?? "nothing"}). {InstallHint}");
        return folder;
    }
}
