using System.Collections.Immutable;
using System.Text;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

/// <summary>A function-tool round trip over HTTP: items and tools go out as Chat Completions JSON, tool calls come back as function call items.</summary>
public sealed class HttpChatUpstreamToolCallTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ResponseSettings WithWeather = ResponseSettings.Default with
    {
        Instructions = "Use the tools.",
        Tools = [new FunctionTool("get_weather", "Weather now.", """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", null)],
    };

    private static MessageItem User(string text) => new("msg_u", 1, ItemStatus.Completed, At, null, MessageRole.User, [new ContentPart.InputText(text)]);

    private static int _ids;

    private static string NewId(string prefix) => $"{prefix}{Interlocked.Increment(ref _ids)}";

    private static long Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static (TurnOutput Output, List<TurnEvent> Events) Fold(IEnumerable<ChatCompletionChunk> chunks)
    {
        var draft = OutputFold.Start("placeholder", At, "gpt-4o-mini", firstSequence: 2);
        var events = new List<TurnEvent>();
        foreach (var chunk in chunks)
        {
            (draft, var stepEvents) = OutputFold.Step(draft, chunk, NewId);
            events.AddRange(stepEvents);
        }

        var (output, owed) = OutputFold.Finish(draft, NewId, Words, 0);
        events.AddRange(owed);
        return (output, events);
    }

    [Fact]
    public async Task A_request_from_items_reaches_the_upstream_exactly_as_written()
    {
        await using var harness = await StartAsync();
        var history = ChatRequestBuilder.ForUpstream([User("Paris?")], leadingComma: false);
        var request = ChatRequestBuilder.Build(
            "gpt-4o-mini", WithWeather, new UpstreamHistory(history.Messages, history.Json), ReadOnlySpan<Item>.Empty, [User("And Rome?")], stream: false);

        await harness.Http.CompleteAsync(request, CancellationToken.None);

        Assert.Equal(
            Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(request with { MessagesJson = null })),
            Assert.Single(harness.Fake.ChatRequests).Body);
    }

    [Fact]
    public async Task A_tool_round_trip_against_the_default_fake_streams_a_call_then_text()
    {
        await using var harness = await StartAsync();
        var question = User("Paris");

        var first = ChatRequestBuilder.Build("gpt-4o-mini", WithWeather, ReadOnlySpan<Item>.Empty, [question], stream: true);
        var (called, events) = Fold((await CollectAsync(harness.Http.StreamAsync(first, CancellationToken.None))).Select(item => item.AsT0));

        var call = Assert.IsType<FunctionCallItem>(Assert.Single(called.Items));
        Assert.Equal(("get_weather", """{"city":"Paris"}""", ItemStatus.Completed), (call.Name, call.Arguments, call.Status));
        Assert.Equal("tool_calls", called.Reply.FinishReason);
        Assert.Equal(call.Arguments, string.Concat(events.OfType<TurnEvent.ArgumentsDelta>().Select(d => d.Text)));
        Assert.True(events.OfType<TurnEvent.ArgumentsDelta>().Count() >= 2);

        Item[] context = [question, .. called.Items];
        var second = ChatRequestBuilder.Build(
            "gpt-4o-mini", WithWeather, context, [new FunctionCallOutputItem("fco_1", 4, ItemStatus.Completed, At, null, call.CallId, "21C")], stream: false);
        var answer = (await harness.Http.CompleteAsync(second, CancellationToken.None)).AsT0;

        var text = Assert.IsType<MessageItem>(Assert.Single(OutputFold.FromCompletion(answer, At, 5, NewId, Words, 0).Items));
        Assert.Equal(FakeReplies.AfterToolResult("21C"), text.Text);
        var sent = harness.Fake.ChatRequests[1].Json.GetProperty("messages");
        Assert.Equal(call.CallId, sent[2].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal(call.CallId, sent[3].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task A_recorded_openai_tool_call_stream_folds_into_two_function_calls_with_usage_details()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Raw(OpenAiSamples.WeatherToolCallsStream, pieceSize: 11));

        var chunks = (await CollectAsync(harness.Http.StreamAsync(Ask("What is the weather in Paris and Rome?", stream: true), CancellationToken.None)))
            .Select(item => item.AsT0);
        var (output, _) = Fold(chunks);

        Assert.Equal(
            OpenAiSamples.WeatherToolCalls,
            output.Items.Cast<FunctionCallItem>().Select(c => new FakeToolCall(c.CallId, c.Name, c.Arguments)));
        Assert.Equal(new TokenUsage(82, 51, CachedTokens: 64), output.Reply.Usage);
        Assert.Equal(OpenAiSamples.WeatherToolCallsId, output.Reply.CompletionId);
    }

    [Fact]
    public async Task A_whole_answer_to_a_stream_request_keeps_its_tool_calls()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Json(FakeReplies.AnswerCompletion(
            "chatcmpl-whole", 1, "gpt-4o-mini", FakeAnswer.Calls([.. OpenAiSamples.WeatherToolCalls]), new TokenUsage(9, 3))));

        var chunks = (await CollectAsync(harness.Http.StreamAsync(Ask("x", stream: true), CancellationToken.None))).Select(item => item.AsT0).ToImmutableArray();
        var (output, _) = Fold(chunks);

        Assert.Equal(["get_weather", "get_weather"], output.Items.Cast<FunctionCallItem>().Select(c => c.Name));
        Assert.Equal(("tool_calls", new TokenUsage(9, 3)), (output.Reply.FinishReason, output.Reply.Usage));
    }

    [Fact]
    public async Task A_stream_cut_in_the_middle_of_a_tool_call_leaves_an_incomplete_call()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.CutMidToolCall(new FakeToolCall("call_cut", "get_weather", """{"city":"Paris"}"""), argumentPiecesBefore: 2));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("x", stream: true), CancellationToken.None));
        var (output, _) = Fold(items.Where(item => item.IsT0).Select(item => item.AsT0));

        Assert.True(items[^1].IsT1, "the cut is reported");
        var call = Assert.IsType<FunctionCallItem>(Assert.Single(output.Items));
        Assert.Equal(("call_cut", ItemStatus.Incomplete), (call.CallId, call.Status));
        Assert.Equal("""{"city":"P""", call.Arguments);
    }

    [Fact]
    public async Task A_tool_call_answer_without_usage_is_estimated_with_its_calls()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Json("""
            {"id":"chatcmpl-nousage","object":"chat.completion","created":1,"model":"local","choices":[{"index":0,"message":{"role":"assistant","content":null,
             "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}
            """));
        var request = ChatRequestBuilder.Build("local", WithWeather, ReadOnlySpan<Item>.Empty, [User("Paris")], stream: false);

        var completion = (await harness.Http.CompleteAsync(request, CancellationToken.None)).AsT0;

        var tokens = harness.Services.GetRequiredService<ITokenCounter>();
        Assert.Equal(
            new TokenUsage(PromptTokens.Count(request, tokens.Count), tokens.Count("get_weather") + tokens.Count("""{"city":"Paris"}""")),
            completion.Usage);
        Assert.True(PromptTokens.Count(request, tokens.Count) > PromptTokens.Count(request.Messages, tokens.Count), "the offered tool is counted");
    }
}
