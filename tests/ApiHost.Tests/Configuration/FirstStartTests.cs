using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Configuration;

/// <summary>
/// What a newcomer sees on the first start: a short banner and the two generated keys, labelled, instead
/// of screens of framework output.
/// </summary>
public sealed class FirstStartTests
{
    private const int MostLinesBeforeServing = 20;

    [Fact]
    public async Task A_first_start_prints_a_short_banner_and_both_keys_labelled()
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            await using var host = await ApiHostProcess.StartAsync(
                new Dictionary<string, string?> { ["CONVERSATIONS_DATA_DIR"] = data, ["CONVERSATIONS_ADMIN_KEY"] = null, ["CONVERSATIONS_API_KEY"] = null },
                data);
            // The banner is the last thing written at start (once the server listens); logging writes it on its own thread.
            var output = await Eventually.Within(
                () => Task.FromResult(host.Output),
                lines => lines.Any(l => l.Contains("Conversations API serving on", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10));

            Assert.True(output.Count <= MostLinesBeforeServing, $"{output.Count} lines at start:\n{string.Join('\n', output)}");
            Assert.Contains(output, l => l.Contains($"Conversations API serving on {host.Address.ToString().TrimEnd('/')}", StringComparison.Ordinal));
            Assert.Contains(output, l => l.Contains("store:", StringComparison.Ordinal) && l.Contains(Path.Combine(data, "conversations.db"), StringComparison.Ordinal));
            Assert.Contains(output, l => l.Contains("model:", StringComparison.Ordinal) && l.Contains("offline", StringComparison.Ordinal));
            AssertLabelled(output, "Admin key:", "^sk-admin-[0-9a-f]{48}$");
            AssertLabelled(output, "API key of the user \"default\":", "^sk-conv-[0-9a-f]{48}$");
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    /// <summary>The key is alone on the line after its label, so it can be copied whole.</summary>
    private static void AssertLabelled(IReadOnlyList<string> output, string label, string keyPattern)
    {
        var at = output.ToList().FindIndex(l => l.Trim() == label);
        Assert.True(at >= 0 && at + 1 < output.Count, $"no line '{label}' followed by a key:\n{string.Join('\n', output)}");
        Assert.Matches(keyPattern, output[at + 1].Trim());
    }
}
