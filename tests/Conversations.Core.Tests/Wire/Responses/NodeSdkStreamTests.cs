using System.Runtime.CompilerServices;
using System.Text.Json;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Core.Wire.Responses;
using Conversations.Testing.Node;
using static Conversations.Core.Tests.Wire.Responses.ResponseSamples;
using static Conversations.Core.Tests.Wire.Responses.StreamRun;

namespace Conversations.Core.Tests.Wire.Responses;

/// <summary>
/// The streams <see cref="ResponseStream"/> makes, read by the official Node SDK (openai 7.55.0, the
/// strictest stream helper) through a local HTTP server. It needs node and the SDK that <c>./test.sh</c>
/// installs (see <see cref="NodeSdk"/>), and fails without them. By hand: <c>tests/Conversations.Testing/Node/install-sdk.sh</c>,
/// then <c>CONV_SDK_DIR=&lt;its output&gt; node NodeSdk/stream-check.mjs &lt;folder of .sse files&gt;</c>.
/// </summary>
public class NodeSdkStreamTests
{
    private static readonly MessageItem Hello = AssistantText("Hello there!");
    private static readonly FunctionCallItem Weather = Call("fc_1", "call_1", "get_weather", """{"city":"Paris"}""");
    private static readonly FunctionCallItem Time = Call("fc_2", "call_2", "get_time", """{"zone":"CET"}""");

    private static IEnumerable<TurnEvent> Text(MessageItem message, params string[] deltas) =>
        [new TurnEvent.ItemAdded(message with { Content = [] }), .. deltas.Select(d => new TurnEvent.Delta(d)), new TurnEvent.ItemDone(message)];

    private static IEnumerable<TurnEvent> Arguments(FunctionCallItem call, params string[] deltas) =>
        [new TurnEvent.ItemAdded(call with { Arguments = "" }), .. deltas.Select(d => new TurnEvent.ArgumentsDelta(d)), new TurnEvent.ItemDone(call)];

    private static Dictionary<string, List<ResponseStreamEvent>> Scenarios()
    {
        var cut = AssistantText("Once upon", status: ItemStatus.Incomplete);
        var refusal = AssistantRefusal("I can't help with that.");
        return new()
        {
            ["text"] = Finished(Started(), Text(Hello, "Hello", " there", "!"), CompletedWith(Hello)),
            ["tools"] = Finished(Started(), [.. Text(Hello, "Hello there!"), .. Arguments(Weather, "{\"city\":", "\"Paris\"}"), .. Arguments(Time, "{\"zone\":\"CET\"}")], CompletedWith(Hello, Weather, Time)),
            ["refusal"] = Finished(Started(), [new TurnEvent.ItemAdded(refusal with { Content = [] }), new TurnEvent.RefusalDelta("I can't"), new TurnEvent.RefusalDelta(" help with that."), new TurnEvent.ItemDone(refusal)], CompletedWith(refusal)),
            ["failure"] = Fold(Started(), Text(Hello, "Hello").SkipLast(1), state => ResponseStream.Fail(state, null, ApiErrors.From(new UpstreamError.StreamFailed("connection reset", null)))),
            ["failed_record"] = Finished(Started(), Text(cut, "Once upon"), Started() with { Status = ResponseStatus.Failed, Output = [cut], Error = new ResponseFailure("server_error", "x") }),
            ["incomplete"] = Finished(Started(), Text(cut, "Once", " upon"), CompletedWith(cut) with { Status = ResponseStatus.Incomplete, IncompleteReason = "max_output_tokens" }),
            ["background"] = Finished(Started(background: true), Text(Hello, "Hello there!"), CompletedWith(Hello) with { Background = true }),
            ["replay"] = [.. ResponseStream.Replay(CompletedWith(Hello, Weather))],
        };
    }

    [Fact]
    public async Task The_node_sdks_stream_helper_accepts_every_stream_and_reads_the_same_response()
    {
        var scenarios = Scenarios();
        var folder = Directory.CreateTempSubdirectory("response-streams-");
        try
        {
            foreach (var (name, events) in scenarios)
            {
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, name + ".sse"), Sse(events));
            }

            var results = await RunNode(folder.FullName);

            Assert.Equal(scenarios.Keys.Order(), results.Keys.Order());
            foreach (var (name, events) in scenarios.Where(s => s.Key != "failure"))
            {
                Assert.Equal((name, "ended"), (name, results[name].GetProperty("raw").GetProperty("result").GetString()));
                Assert.Equal(Types(events), results[name].GetProperty("raw").GetProperty("events").EnumerateArray().Select(e => e.GetString()));
            }

            Resolved(results["text"], "completed", "Hello there!", ["msg_out"], deltas: "Hello there!");
            Resolved(results["tools"], "completed", "Hello there!", ["msg_out", "fc_1", "fc_2"], deltas: "Hello there!");
            Resolved(results["refusal"], "completed", "", ["msg_out"], deltas: "");
            Resolved(results["failed_record"], "failed", "Once upon", ["msg_out"], deltas: "Once upon");
            Resolved(results["incomplete"], "incomplete", "Once upon", ["msg_out"], deltas: "Once upon");
            Resolved(results["background"], "completed", "Hello there!", ["msg_out"], deltas: "Hello there!");
            Resolved(results["replay"], "completed", "Hello there!", ["msg_out", "fc_1"], deltas: "Hello there!");

            // The Node SDK turns the error event into an exception, in both the helper and the raw stream.
            var failure = results["failure"];
            Assert.Equal(("threw", "upstream_stream_error"), (failure.GetProperty("helper").GetProperty("result").GetString(), failure.GetProperty("helper").GetProperty("code").GetString()));
            Assert.Contains("The model provider's stream failed: connection reset", failure.GetProperty("helper").GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal("threw", failure.GetProperty("raw").GetProperty("result").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Resolved(JsonElement result, string status, string outputText, string[] ids, string deltas)
    {
        var helper = result.GetProperty("helper");
        Assert.True(helper.GetProperty("result").GetString() == "resolved", $"{result.GetProperty("scenario")}: {helper}");
        Assert.Equal(status, helper.GetProperty("status").GetString());
        Assert.Equal(outputText, helper.GetProperty("output_text").GetString());
        Assert.Equal(ids, helper.GetProperty("output_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(deltas, helper.GetProperty("deltas").GetString());
    }

    private static async Task<Dictionary<string, JsonElement>> RunNode(string folder)
    {
        var check = await NodeSdk.RunAsync(Path.Combine(ScriptFolder(), "stream-check.mjs"), new Dictionary<string, string>(), TimeSpan.FromMinutes(1), folder);
        Assert.True(check.ExitCode == 0, $"stream-check.mjs failed: {check}");
        return check.JsonLines.ToDictionary(line => line.GetProperty("scenario").GetString()!);
    }

    private static string ScriptFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "NodeSdk");
}
