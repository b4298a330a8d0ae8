using System.Runtime.CompilerServices;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Node;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// The official Node SDK (openai 7.55.0) drives the real service over HTTP, unchanged but for the base URL
/// and key: <c>NodeSdk/responses-check.mjs</c> runs each check and reports it on a line of its own. The
/// test fails, saying how to install them, where node or the SDK is missing (<c>./test.sh</c> installs both).
/// </summary>
public sealed class NodeSdkTests
{
    private static readonly string[] EmbeddedDefaultChecks =
        ["create", "stream", "conversation", "items", "input_tokens", "compact", "chain", "retrieve", "input_items", "store_false", "delete", "errors", "isolation", "rate_limit"];

    [Fact]
    public async Task The_node_sdk_holds_conversations_chains_and_streams_against_the_embedded_default_and_gets_its_error_classes()
    {
        await using var host = await RunningApiHost.StartAsync();
        var admin = host.Client(TestKeys.Admin);
        var other = await admin.NewUser("node-sdk-other");
        var limited = await admin.NewUser("node-sdk-limited", """{"requests_per_minute":1}""");

        var run = await RunChecks(host, new()
        {
            ["CONV_OTHER_KEY"] = other.Key,
            ["CONV_LIMITED_KEY"] = limited.Key,
        });

        AssertPassed(run, EmbeddedDefaultChecks);
    }

    [Fact]
    public async Task A_second_turn_on_a_busy_conversation_is_a_ConflictError_in_the_node_sdk_and_leaving_cancels_the_first()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var host = await RunningApiHost.StartAsync(upstream);
        upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));

        var run = await RunChecks(host, new() { ["CONV_CHECKS"] = "busy", ["CONV_MODEL"] = "gpt-4o-mini" });

        AssertPassed(run, ["busy"]);
        Assert.True(await upstream.WaitForAbortAsync(1, TimeSpan.FromSeconds(10)), "the held turn's upstream call was not cancelled when the SDK aborted its stream");
    }

    private static Task<NodeRun> RunChecks(RunningApiHost host, Dictionary<string, string> environment)
    {
        environment["CONV_BASE_URL"] = new Uri(host.Address, "/v1").ToString();
        environment["CONV_KEY"] = TestKeys.DefaultUser;
        return NodeSdk.RunAsync(Script(), environment, TimeSpan.FromMinutes(2));
    }

    private static void AssertPassed(NodeRun run, string[] expected)
    {
        var lines = run.JsonLines;
        Assert.True(
            lines.Select(l => l.GetProperty("check").GetString()).SequenceEqual(expected),
            $"the script should report the checks {string.Join(", ", expected)}: {run}");
        var failed = lines.Where(l => !l.GetProperty("pass").GetBoolean()).Select(l => l.ToString()).ToList();
        Assert.True(failed.Count == 0, $"checks failed:\n{string.Join('\n', failed)}\n{run}");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static string Script([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "NodeSdk", "responses-check.mjs");
}
