using System.Net.ServerSentEvents;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Microsoft.AspNetCore.Http;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>
/// Streamed <c>/v1/chat/completions</c> through the real host: OpenAI's events come out unchanged, in
/// order and as they arrive, with OpenAI's framing; usage is always asked of the upstream but shown only
/// to clients that asked; a broken upstream stream ends in an error event, not <c>[DONE]</c>.
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed class StreamRelayTests(CompatibilityHost fixture) : IDisposable
{
    private const string StreamWithUsage =
        """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say this is a test!"}],"stream":true,"stream_options":{"include_usage":true}}""";

    private const string StreamWithoutUsage =
        """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say this is a test!"}],"stream":true}""";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose()
    {
        _upstream.ClearScript();
        _client.Dispose();
    }

    /// <summary>The recorded stream's event payloads, in order, <c>[DONE]</c> included.</summary>
    private static List<string> RecordedEvents => Wire.DataEvents(OpenAiSamples.SayThisIsATestStream);

    [Fact]
    public async Task A_recorded_openai_stream_comes_out_byte_for_byte_when_the_client_asked_for_usage()
    {
        _upstream.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream));

        using var response = await _client.PostChat(StreamWithUsage);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(OpenAiSamples.SayThisIsATestStream, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_include_usage_the_client_gets_every_event_but_the_usage_chunk_unchanged_and_in_order()
    {
        _upstream.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream));

        using var response = await _client.PostChat(StreamWithoutUsage);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());
        var expected = RecordedEvents.Where(e => !e.Contains("\"choices\":[]", StringComparison.Ordinal)).ToList();
        Assert.Equal(RecordedEvents.Count - 1, expected.Count);
        Assert.Equal(expected, events);
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public async Task A_stream_split_into_odd_pieces_by_the_network_comes_out_whole()
    {
        _upstream.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream, pieceSize: 7));

        using var response = await _client.PostChat(StreamWithUsage);

        Assert.Equal(OpenAiSamples.SayThisIsATestStream, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Multi_byte_characters_split_between_network_pieces_come_out_byte_for_byte()
    {
        var stream = OpenAiSamples.SayThisIsATestStream
            .Replace("\"This\"", "\"Ça 😀\"", StringComparison.Ordinal)
            .Replace("\" is\"", "\" \\u00e9t\\u00e9 \\ud83d\\ude00 \\\"ok\\\"\"", StringComparison.Ordinal);
        Assert.NotEqual(OpenAiSamples.SayThisIsATestStream, stream);
        _upstream.Enqueue(FakeResponse.Raw(stream, pieceSize: 3));

        using var response = await _client.PostChat(StreamWithUsage);

        Assert.Equal(Encoding.UTF8.GetBytes(stream), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(StreamWithUsage)]
    [InlineData(StreamWithoutUsage)]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":false}}""")]
    public async Task The_upstream_is_always_asked_for_the_usage_chunk(string body)
    {
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(body);
        await response.Content.ReadAsStringAsync();

        var sent = _upstream.ChatRequests[before].Json;
        Assert.True(sent.GetProperty("stream").GetBoolean());
        Assert.True(sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("text/event-stream", _upstream.ChatRequests[before].Header("Accept"));
    }

    [Fact]
    public async Task A_stream_that_already_asked_for_usage_reaches_the_upstream_byte_for_byte()
    {
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(StreamWithUsage);
        await response.Content.ReadAsStringAsync();

        Assert.Equal(StreamWithUsage, _upstream.ChatRequests[before].Body);
    }

    [Fact]
    public async Task The_upstreams_request_id_comes_through_on_a_stream()
    {
        _upstream.Enqueue(FakeResponse.Handle(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers["x-request-id"] = "req_streamed0123456789";
            context.Response.Headers["openai-organization"] = "org-secret";
            await context.Response.WriteAsync(OpenAiSamples.SayThisIsATestStream, context.RequestAborted);
        }));

        using var response = await _client.PostChat(StreamWithUsage);

        Assert.Equal("req_streamed0123456789", response.Header("x-request-id"));
        Assert.False(response.HasHeader("openai-organization"));
        Assert.Equal(OpenAiSamples.SayThisIsATestStream, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_event_reaches_the_client_as_soon_as_the_upstream_sends_it()
    {
        var events = RecordedEvents;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Enqueue(FakeResponse.Handle(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync($"data: {events[0]}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await gate.Task.WaitAsync(context.RequestAborted);
            foreach (var data in events.Skip(1))
            {
                await context.Response.WriteAsync($"data: {data}\n\n", context.RequestAborted);
            }
        }));
        using var deadline = new CancellationTokenSource(Patience);

        try
        {
            using var response = await _client.PostChat(StreamWithUsage, deadline.Token);
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var reader = SseParser.Create(body).EnumerateAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);

            // The upstream is held at the gate: the first event can only have come through on its own.
            Assert.True(await reader.MoveNextAsync(), "the stream ended before its first event");
            Assert.False(gate.Task.IsCompleted);
            Assert.Equal(events[0], reader.Current.Data);

            gate.SetResult();
            var rest = new List<string>();
            while (await reader.MoveNextAsync())
            {
                rest.Add(reader.Current.Data);
            }

            Assert.Equal(events.Skip(1), rest);
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_cancels_the_upstream_within_a_second_and_the_call_is_counted()
    {
        var key = await Wire.NewUserKey(_host, "disconnects-mid-stream");
        using var client = _host.Client(key);
        Assert.Equal(0, await client.RequestsSoFar());
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var number = _upstream.Requests.Count + 1;

        using (var response = await client.PostChat(StreamWithoutUsage))
        {
            var body = await response.Content.ReadAsStreamAsync();
            var read = await Api.ReadEventsUntil(body, r => r.Count >= 3);
            Assert.Equal(3, read.Count);
        }

        var upstreamRequest = await _upstream.WaitForRequestAsync(number, Patience);
        Assert.Equal("/v1/chat/completions", upstreamRequest.Path);
        Assert.True(await upstreamRequest.WaitForAbortAsync(TimeSpan.FromSeconds(1)), "the upstream request was still running a second after the client left");
        var requests = await Eventually.Within(client.RequestsSoFar, n => n == 1, TimeSpan.FromSeconds(5));
        Assert.Equal(1, requests);
    }

    [Fact]
    public async Task A_streamed_call_is_counted_with_the_upstreams_usage_even_when_the_client_did_not_ask_for_it()
    {
        var key = await Wire.NewUserKey(_host, "streamed-usage");
        using var client = _host.Client(key);
        _upstream.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream));

        using var response = await client.PostChat(StreamWithoutUsage);
        await response.Content.ReadAsStringAsync();

        var total = await Eventually.Within(
            async () => (await client.GetFromJsonAsync<JsonElement>("/v1/usage")).GetProperty("total"),
            t => t.GetProperty("requests").GetInt64() == 1,
            TimeSpan.FromSeconds(5));
        Assert.Equal(1, total.GetProperty("requests").GetInt64());
        Assert.Equal(OpenAiSamples.SayThisIsATestPromptTokens, total.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(OpenAiSamples.SayThisIsATestCompletionTokens, total.GetProperty("completion_tokens").GetInt64());
    }

    [Fact]
    public async Task An_upstream_stream_cut_mid_way_ends_with_an_error_event_in_openais_envelope_and_no_done()
    {
        _upstream.Enqueue(FakeResponse.CutMidStream(piecesBefore: 2));

        using var response = await _client.PostChat(StreamWithoutUsage);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal(4, events.Count);
        Assert.Equal(["", "One", " two"], events.Take(3).Select(ContentOf));
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task An_upstream_that_closes_a_finished_stream_without_done_still_gives_the_client_its_done()
    {
        var finished = FakeReplies.StreamEvents("chatcmpl-nodone", FakeReplies.FixedCreated, "gpt-4o-mini", "All here", includeUsage: true, FakeReplies.UsageOf(3, "All here"));
        _upstream.Enqueue(FakeResponse.Events(finished.Select(data => new FakeSseEvent(data)), FakeStreamEnding.Close));

        using var response = await _client.PostChat(StreamWithoutUsage);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());

        Assert.Equal("[DONE]", events[^1]);
        var texts = events.Take(events.Count - 1)
            .Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices"))
            .Where(choices => choices.GetArrayLength() == 1 && choices[0].GetProperty("delta").TryGetProperty("content", out _))
            .Select(choices => choices[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal("All here", string.Concat(texts));
    }

    [Fact]
    public async Task An_upstream_that_closes_an_unfinished_stream_without_done_ends_with_an_error_event()
    {
        var unfinished = FakeReplies.StreamEvents("chatcmpl-cut", FakeReplies.FixedCreated, "gpt-4o-mini", "Half of it", includeUsage: false, FakeReplies.UsageOf(3, "x")).Take(2);
        _upstream.Enqueue(FakeResponse.Events(unfinished.Select(data => new FakeSseEvent(data)), FakeStreamEnding.Close));

        using var response = await _client.PostChat(StreamWithoutUsage);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());

        Assert.DoesNotContain("[DONE]", events);
        Assert.True(JsonDocument.Parse(events[^1]).RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task An_upstream_error_payload_mid_stream_is_passed_on_as_sent_and_ends_the_stream()
    {
        _upstream.Enqueue(FakeResponse.ErrorMidStream("The model crashed.", "server_error", piecesBefore: 1));

        using var response = await _client.PostChat(StreamWithoutUsage);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());

        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal(3, events.Count);
        Assert.Equal(FakeReplies.ErrorEnvelope("The model crashed.", "server_error", "server_error", null), events[^1]);
    }

    [Fact]
    public async Task An_upstream_error_event_mid_stream_keeps_its_event_type()
    {
        _upstream.Enqueue(FakeResponse.ErrorMidStream("Overloaded.", "server_error", piecesBefore: 1, asErrorEvent: true));

        using var response = await _client.PostChat(StreamWithoutUsage);
        var text = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.EndsWith($"event: error\ndata: {FakeReplies.ErrorEnvelope("Overloaded.", "server_error", "server_error", null)}\n\n", text, StringComparison.Ordinal);
    }

    private static string? ContentOf(string chunk) =>
        JsonDocument.Parse(chunk).RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString();
}
