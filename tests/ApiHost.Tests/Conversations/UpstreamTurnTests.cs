using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>Turns against a real (fake) OpenAI-compatible upstream over loopback: what reaches it, and what its failures become.</summary>
public sealed class UpstreamTurnTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>
{
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_turn_sends_the_instructions_the_history_and_the_new_message_with_the_provider_key()
    {
        var id = await _client.CreateConversation("""{"settings":{"model":"gpt-4o","instructions":"Answer in French.","temperature":0.5}}""");
        await _client.Turn(id, "Say bonjour");
        var before = _upstream.ChatRequests.Count;

        await _client.Turn(id, "Say merci");

        var sent = _upstream.ChatRequests[before];
        Assert.Equal($"Bearer {TestKeys.Upstream}", sent.Header("Authorization"));
        var json = sent.Json;
        Assert.Equal("gpt-4o", json.GetProperty("model").GetString());
        Assert.Equal(0.5, json.GetProperty("temperature").GetDouble());
        var messages = json.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal([("system", "Answer in French."), ("user", "Say bonjour"), ("assistant", "Bonjour"), ("user", "Say merci")], messages);
    }

    [Fact]
    public async Task A_streamed_turn_asks_the_upstream_to_stream_with_usage()
    {
        var id = await _client.CreateConversation();
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.StartStream(id, "Say streaming works");
        var events = await response.ReadEvents();

        Assert.Equal("[DONE]", events[^1]);
        var sent = _upstream.ChatRequests[before].Json;
        Assert.True(sent.GetProperty("stream").GetBoolean());
        Assert.True(sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task A_second_turn_while_one_is_streaming_gets_409_conversation_busy_and_the_history_does_not_interleave()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        using var first = await _client.StartStream(id, "Tell me a long story");
        var body = await first.Content.ReadAsStreamAsync();
        await Api.ReadEventsUntil(body, read => read.Count >= 3);

        await (await _client.SendMessage(id, "Are you there?")).AssertError(HttpStatusCode.Conflict, "conversation_busy");
        await (await _client.StartStream(id, "And now?")).AssertError(HttpStatusCode.Conflict, "conversation_busy");

        first.Dispose();
        var items = await Eventually.Within(() => _client.Items(id), i => i.GetProperty("data").GetArrayLength() == 2, TimeSpan.FromSeconds(5));
        Assert.Equal(["Tell me a long story", "One two"], items.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_cancels_the_upstream_and_keeps_the_partial_reply_as_incomplete()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 3));
        var before = _upstream.Requests.Count;
        using (var response = await _client.StartStream(id, "Count slowly"))
        {
            var body = await response.Content.ReadAsStreamAsync();
            await Api.ReadEventsUntil(body, read => read.Count >= 4);
        }

        var upstreamRequest = await _upstream.WaitForRequestAsync(before + 1, TimeSpan.FromSeconds(5));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var ok = await upstreamRequest.WaitForAbortAsync(TimeSpan.FromSeconds(15));
        Assert.True(ok && sw.Elapsed < TimeSpan.FromSeconds(1), $"the upstream request was not cancelled within a second: {ok} {sw.Elapsed}");

        var items = await Eventually.Within(() => _client.Items(id), i => i.GetProperty("data").GetArrayLength() == 2, TimeSpan.FromSeconds(5));
        var reply = items.GetProperty("data")[1];
        Assert.Equal("assistant", reply.GetProperty("role").GetString());
        Assert.Equal("incomplete", reply.GetProperty("status").GetString());
        Assert.Equal("One two three", reply.GetProperty("content")[0].GetProperty("text").GetString());

        // The conversation is free again, and the cut-off reply is part of the next turn's history.
        await _client.Turn(id, "Say continue");
        var next = _upstream.ChatRequests[^1].Json.GetProperty("messages");
        Assert.Equal("One two three", next[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task An_upstream_rate_limit_comes_back_as_429_with_its_retry_after_and_nothing_is_stored()
    {
        var id = await _client.CreateConversation();
        // More 429s than the service retries, each asking for longer than it is willing to wait.
        for (var i = 0; i < 5; i++)
        {
            _upstream.Enqueue(FakeResponse.RateLimited(retryAfter: "120"));
        }

        using var response = await _client.SendMessage(id, "Say hi");
        await response.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
        Assert.Empty((await _client.Items(id)).GetProperty("data").EnumerateArray());
        DrainScript();
    }

    [Fact]
    public async Task An_upstream_bad_request_keeps_its_message_and_param()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.OpenAiError(400, "Invalid value for 'temperature'.", "invalid_request_error", "invalid_value", "temperature"));

        using var response = await _client.SendMessage(id, "Say hi");
        var error = await response.AssertError(HttpStatusCode.BadRequest, "invalid_value");

        Assert.Equal("temperature", error.GetProperty("param").GetString());
        Assert.Contains("Invalid value for 'temperature'.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_upstream_that_keeps_failing_answers_with_its_status_and_the_next_turn_works()
    {
        var id = await _client.CreateConversation();
        for (var i = 0; i < 5; i++)
        {
            _upstream.Enqueue(FakeResponse.OpenAiError(500, "The server had an error.", "server_error"));
        }

        await (await _client.SendMessage(id, "Say one")).AssertError(HttpStatusCode.InternalServerError, "upstream_error");
        DrainScript();

        var completion = await _client.Turn(id, "Say two");
        Assert.Equal("Two", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task An_upstream_error_mid_stream_ends_the_stream_with_an_error_event_and_keeps_the_partial_reply()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.ErrorMidStream("The model crashed.", "server_error", piecesBefore: 2));

        using var response = await _client.StartStream(id, "Go");
        var events = await response.ReadEvents();

        Assert.DoesNotContain("[DONE]", events);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Contains("The model crashed.", error.GetProperty("message").GetString());
        var items = await _client.Items(id);
        Assert.Equal("incomplete", items.GetProperty("data")[1].GetProperty("status").GetString());
        Assert.Equal("One two", items.GetProperty("data")[1].GetProperty("content")[0].GetProperty("text").GetString());
    }

    private void DrainScript()
    {
        // Responses a test enqueued but did not use must not leak into the next test.
        _upstream.ClearScript();
    }
}
