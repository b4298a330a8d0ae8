using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using static Conversations.ApiHost.Tests.Responses.ResponsesHttp;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// <c>POST /v1/responses</c> with <c>"stream": true</c>, read byte by byte over HTTP: the events OpenAI sends, in
/// OpenAI's order and shapes, for text, tool calls, refusals, a length cut, an upstream failure and a client
/// that leaves; and a finished response's events again through <c>GET ?stream=true&amp;starting_after=N</c>.
/// </summary>
public sealed class ResponseEventStreamTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>, IDisposable
{
    private const string WeatherTool = """{"type":"function","name":"get_weather","description":"The weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_text_reply_streams_as_openai_orders_its_events_with_event_names_and_sequence_numbers_and_no_done()
    {
        var events = await _client.StreamResponse("""{"model":"gpt-4o-mini","input":"Say hello there my friend","stream":true}""");

        AssertWellFormed(events);
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            Types(events));

        var created = events[0].Json.GetProperty("response");
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Empty(created.GetProperty("output").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("usage").ValueKind);

        var added = events[2].Json;
        var itemId = added.GetProperty("item").GetProperty("id").GetString()!;
        Assert.StartsWith("msg_", itemId, StringComparison.Ordinal);
        Assert.Equal(0, added.GetProperty("output_index").GetInt32());
        Assert.Equal("in_progress", added.GetProperty("item").GetProperty("status").GetString());
        Assert.Empty(added.GetProperty("item").GetProperty("content").EnumerateArray());
        Assert.Equal("", events[3].Json.GetProperty("part").GetProperty("text").GetString());
        Assert.All(events[3..10], e =>
        {
            Assert.Equal(itemId, e.Json.GetProperty("item_id").GetString());
            Assert.Equal(0, e.Json.GetProperty("output_index").GetInt32());
            Assert.Equal(0, e.Json.GetProperty("content_index").GetInt32());
        });

        var deltas = string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString()));
        Assert.Equal("Hello there my friend", deltas);
        Assert.Equal(deltas, events[8].Json.GetProperty("text").GetString());
        Assert.Equal(deltas, events[9].Json.GetProperty("part").GetProperty("text").GetString());
        var done = events[10].Json.GetProperty("item");
        Assert.Equal((itemId, "completed", deltas), (done.GetProperty("id").GetString(), done.GetProperty("status").GetString(), Text(done)));

        var completed = FinalResponse(events);
        Assert.Equal(created.GetProperty("id").GetString(), completed.GetProperty("id").GetString());
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(itemId, completed.GetProperty("output")[0].GetProperty("id").GetString());
        Assert.Equal(deltas, Text(completed.GetProperty("output")[0]));
        Assert.True(completed.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task A_function_call_streams_its_arguments_as_deltas_then_done()
    {
        var events = await _client.StreamResponse($$"""{"model":"gpt-4o-mini","input":"Paris, please","tools":[{{WeatherTool}}],"stream":true}""");

        AssertWellFormed(events);
        var types = Types(events);
        var deltaCount = types.Count(t => t == "response.function_call_arguments.delta");
        Assert.True(deltaCount > 1, $"the arguments should arrive in several deltas: {string.Join(", ", types)}");
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added",
                .. Enumerable.Repeat("response.function_call_arguments.delta", deltaCount),
                "response.function_call_arguments.done", "response.output_item.done", "response.completed",
            ],
            types);

        var added = events[2].Json.GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("get_weather", added.GetProperty("name").GetString());
        Assert.StartsWith("call_", added.GetProperty("call_id").GetString(), StringComparison.Ordinal);
        var itemId = added.GetProperty("id").GetString()!;
        Assert.StartsWith("fc_", itemId, StringComparison.Ordinal);
        Assert.All(events[3..^2], e => Assert.Equal(itemId, e.Json.GetProperty("item_id").GetString()));

        const string arguments = """{"city":"Paris, please"}""";
        Assert.Equal(arguments, string.Concat(events.Where(e => e.Type == "response.function_call_arguments.delta").Select(e => e.Json.GetProperty("delta").GetString())));
        Assert.Equal(arguments, events[^3].Json.GetProperty("arguments").GetString());
        var done = events[^2].Json.GetProperty("item");
        Assert.Equal((itemId, "completed", arguments), (done.GetProperty("id").GetString(), done.GetProperty("status").GetString(), done.GetProperty("arguments").GetString()));
        var call = Assert.Single(FinalResponse(events).GetProperty("output").EnumerateArray());
        Assert.Equal(arguments, call.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Text_then_two_tool_calls_stream_as_three_output_items_one_after_another()
    {
        _upstream.Enqueue(FakeResponse.Answer(FakeAnswer.Says("Let me check both.") with
        {
            ToolCalls = [new FakeToolCall("call_paris", "get_weather", """{"city":"Paris"}"""), new FakeToolCall("call_rome", "get_weather", """{"city":"Rome"}""")],
        }));

        var events = await _client.StreamResponse($$"""{"model":"gpt-4o-mini","input":"Paris and Rome","tools":[{{WeatherTool}}],"stream":true}""");

        AssertWellFormed(events);
        // Each item is added, streamed and done before the next is added, at the next output index.
        var itemEvents = events.Where(e => e.Type.StartsWith("response.output_item.", StringComparison.Ordinal))
            .Select(e => $"{e.Type} {e.Json.GetProperty("output_index").GetInt32()} {e.Json.GetProperty("item").GetProperty("type").GetString()}");
        Assert.Equal(
            [
                "response.output_item.added 0 message", "response.output_item.done 0 message",
                "response.output_item.added 1 function_call", "response.output_item.done 1 function_call",
                "response.output_item.added 2 function_call", "response.output_item.done 2 function_call",
            ],
            itemEvents);
        var output = FinalResponse(events).GetProperty("output");
        Assert.Equal("Let me check both.", Text(output[0]));
        Assert.Equal(["call_paris", "call_rome"], output.EnumerateArray().Skip(1).Select(i => i.GetProperty("call_id").GetString()));
        Assert.Equal(3, output.EnumerateArray().Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        foreach (var (index, arguments) in new[] { (1, """{"city":"Paris"}"""), (2, """{"city":"Rome"}""") })
        {
            var itemId = output[index].GetProperty("id").GetString();
            var deltas = events.Where(e => e.Type == "response.function_call_arguments.delta" && e.Json.GetProperty("output_index").GetInt32() == index).ToList();
            Assert.All(deltas, e => Assert.Equal(itemId, e.Json.GetProperty("item_id").GetString()));
            Assert.Equal(arguments, string.Concat(deltas.Select(e => e.Json.GetProperty("delta").GetString())));
        }
    }

    [Fact]
    public async Task A_refusal_streams_as_refusal_deltas_in_a_refusal_part()
    {
        _upstream.Enqueue(FakeResponse.Refusal("I cannot help with that."));

        var events = await _client.StreamResponse("""{"model":"gpt-4o-mini","input":"Something forbidden","stream":true}""");

        AssertWellFormed(events);
        var types = Types(events);
        var deltaCount = types.Count(t => t == "response.refusal.delta");
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                .. Enumerable.Repeat("response.refusal.delta", deltaCount),
                "response.refusal.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            types);
        Assert.Equal("refusal", events[3].Json.GetProperty("part").GetProperty("type").GetString());
        Assert.Equal("I cannot help with that.", string.Concat(events.Where(e => e.Type == "response.refusal.delta").Select(e => e.Json.GetProperty("delta").GetString())));
        Assert.Equal("I cannot help with that.", Text(FinalResponse(events).GetProperty("output")[0]));
    }

    [Fact]
    public async Task A_reply_cut_at_max_output_tokens_ends_with_response_incomplete_for_that_reason()
    {
        var cut = FakeAnswer.Says("One two three") with { FinishReason = "length" };
        _upstream.Enqueue(FakeResponse.Answer(cut), FakeResponse.Answer(cut));
        var upstreamBefore = _upstream.ChatRequests.Count;

        var events = await _client.StreamResponse("""{"model":"gpt-4o-mini","input":"Count","max_output_tokens":16,"stream":true}""");
        var single = await _client.CreateResponse("""{"model":"gpt-4o-mini","input":"Count","max_output_tokens":16}""");

        AssertWellFormed(events);
        Assert.Equal("response.incomplete", events[^1].Type);
        Assert.DoesNotContain("response.completed", Types(events));
        foreach (var response in new[] { FinalResponse(events), single })
        {
            Assert.Equal("incomplete", response.GetProperty("status").GetString());
            Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
            Assert.Equal(16, response.GetProperty("max_output_tokens").GetInt32());
            Assert.Equal("One two three", Text(response.GetProperty("output")[0]));
        }

        // The limit went upstream, under whichever name Chat Completions takes it.
        var sent = _upstream.ChatRequests[upstreamBefore].Json;
        var limit = sent.TryGetProperty("max_completion_tokens", out var completionTokens) ? completionTokens : sent.GetProperty("max_tokens");
        Assert.Equal(16, limit.GetInt32());
    }

    public static TheoryData<string> Failures => new() { "error event mid-stream", "connection cut mid-stream" };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task An_upstream_failure_mid_stream_ends_with_an_error_event_then_response_failed_and_the_conversation_keeps_the_incomplete_item(string failure)
    {
        var conversation = await _client.CreateConversation();
        _upstream.Enqueue(failure == "error event mid-stream"
            ? FakeResponse.ErrorMidStream("The model crashed.", "server_error", piecesBefore: 2)
            : FakeResponse.CutMidStream(piecesBefore: 2));

        var events = await _client.StreamResponse($$"""{"model":"gpt-4o-mini","input":"Go on","conversation":"{{conversation}}","stream":true}""");

        AssertWellFormed(events);
        Assert.Equal(["error", "response.failed"], Types(events)[^2..]);
        Assert.Equal("One two", string.Concat(events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString())));

        // OpenAI's flat error event: type, code, message, param and sequence_number, no nested "error" object.
        var error = events[^2].Json;
        Assert.Equal(["code", "message", "param", "sequence_number", "type"], error.EnumerateObject().Select(p => p.Name).Order());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));

        var failed = FinalResponse(events);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains(failed.GetProperty("error").GetProperty("code").GetString()!, ResponseErrorCodes);
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("error").GetProperty("message").GetString()));
        Assert.False(events[^1].Json.TryGetProperty("error", out _), "a top-level 'error' key makes the Node SDK throw on response.failed");

        var items = (await _client.Items(conversation)).GetProperty("data");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal(("user", "Go on"), (items[0].GetProperty("role").GetString(), Text(items[0])));
        Assert.Equal(("assistant", "incomplete", "One two"), (items[1].GetProperty("role").GetString(), items[1].GetProperty("status").GetString(), Text(items[1])));
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_cancels_the_upstream_call_and_the_conversation_keeps_the_partial_output_as_incomplete()
    {
        var conversation = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 3));
        var before = _upstream.Requests.Count;

        string responseId;
        using (var response = await _client.PostResponse($$"""{"model":"gpt-4o-mini","input":"Count slowly","conversation":"{{conversation}}","stream":true}"""))
        {
            var read = await response.ReadStreamedEventsUntil(read => read.Count(e => e.Type == "response.output_text.delta") == 3);
            responseId = read[0].Json.GetProperty("response").GetProperty("id").GetString()!;
        }

        var upstreamCall = await _upstream.WaitForRequestAsync(before + 1, TimeSpan.FromSeconds(10));
        Assert.True(await upstreamCall.WaitForAbortAsync(TimeSpan.FromSeconds(10)), "the upstream call was not cancelled when the client left");

        var items = await Eventually.Holds(
            () => _client.Items(conversation),
            list => list.GetProperty("data").GetArrayLength() == 2,
            "the turn's items being stored");
        var reply = items.GetProperty("data")[1];
        Assert.Equal(("assistant", "incomplete", "One two three"), (reply.GetProperty("role").GetString(), reply.GetProperty("status").GetString(), Text(reply)));

        // The response itself is finished, not left running: it holds the partial output.
        using (var stored = await _client.GetAsync($"/v1/responses/{responseId}"))
        {
            var response = await stored.ReadJson();
            Assert.True(stored.StatusCode == HttpStatusCode.OK, $"the cut response answered {(int)stored.StatusCode}: {response}");
            Assert.Contains(response.GetProperty("status").GetString(), new[] { "incomplete", "cancelled", "failed" });
            Assert.Equal("One two three", Text(response.GetProperty("output")[0]));
        }

        // The conversation is free for the next turn, whose history carries the partial reply.
        var next = await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say go on","conversation":"{{conversation}}"}""");
        Assert.Equal("completed", next.GetProperty("status").GetString());
        var history = _upstream.ChatRequests[^1].Json.GetProperty("messages");
        Assert.Contains(history.EnumerateArray(), m => m.GetProperty("role").GetString() == "assistant" && FakeReplies.TextOf(m.GetProperty("content")) == "One two three");
    }

    [Fact]
    public async Task Replaying_a_finished_response_after_sequence_number_n_gives_exactly_the_events_after_n()
    {
        var live = await _client.StreamResponse("""{"model":"gpt-4o-mini","input":"Say one two three four five","stream":true}""");
        var id = FinalResponse(live).GetProperty("id").GetString()!;

        var whole = await Replay(id, null);

        AssertWellFormed(whole);
        Assert.Equal("response.completed", whole[^1].Type);
        Assert.Equal(Text(FinalResponse(live).GetProperty("output")[0]), Text(FinalResponse(whole).GetProperty("output")[0]));
        foreach (var after in new[] { 0, 1, whole.Count / 2, whole.Count - 2, whole.Count - 1 })
        {
            var rest = await Replay(id, after);
            Assert.Equal(whole.Where(e => e.SequenceNumber > after).Select(e => e.Data), rest.Select(e => e.Data));
        }
    }

    /// <summary>
    /// A client that lost its stream resumes it as the SDKs do: it asks for the events after the last sequence
    /// number it saw, and must get exactly the rest of the stream it was reading.
    /// </summary>
    [Fact]
    public async Task A_client_that_resumes_after_the_last_event_it_saw_gets_exactly_the_rest_of_the_stream_it_read()
    {
        var live = await _client.StreamResponse("""{"model":"gpt-4o-mini","input":"Say one two three four five","stream":true}""");
        var id = FinalResponse(live).GetProperty("id").GetString()!;

        foreach (var after in new[] { 1, 4, live.Count - 3 })
        {
            var rest = await Replay(id, after);
            Assert.Equal(live.Where(e => e.SequenceNumber > after).Select(e => $"{e.Type} {e.SequenceNumber}"), rest.Select(e => $"{e.Type} {e.SequenceNumber}"));
            var seen = string.Concat(live.Where(e => e.SequenceNumber <= after && e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString()));
            var resumed = string.Concat(rest.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString()));
            Assert.Equal("One two three four five", seen + resumed);
        }
    }

    public void Dispose() => _upstream.ClearScript();

    private async Task<List<StreamedEvent>> Replay(string id, int? startingAfter)
    {
        using var response = await _client.GetAsync($"/v1/responses/{id}?stream=true" + (startingAfter is { } n ? $"&starting_after={n}" : ""));
        return await response.ReadStreamedEvents();
    }
}
