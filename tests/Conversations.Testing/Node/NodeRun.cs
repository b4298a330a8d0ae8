using System.Text.Json;

namespace Conversations.Testing.Node;

/// <summary>How a node script ended: its exit code and what it wrote.</summary>
public sealed record NodeRun(int ExitCode, string Output, string Error)
{
    /// <summary>The lines of <see cref="Output"/> that are JSON objects, parsed: the scripts report one result a line.</summary>
    public IReadOnlyList<JsonElement> JsonLines =>
        [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
