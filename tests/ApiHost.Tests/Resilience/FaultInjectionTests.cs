using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>
/// One upstream fault per test on the conversation route, each asserting what the client sees, what
/// the conversation stores, and how many times the upstream was called.
/// </summary>
public sealed class FaultInjectionTests(FaultyUpstreamFixture fixture) : IClassFixture<FaultyUpstreamFixture>, IDisposable
{
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_429_with_retry_after_then_success_is_retried_after_the_wait_and_answers_200()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.RateLimited(retryAfterMs: "300"));
        var before = _upstream.ChatRequests.Count;

        var completion = await _client.Turn(id, "Say patience");

        Assert.Equal("Patience", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var calls = _upstream.ChatRequests.Skip(before).ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].ArrivedAt - calls[0].ArrivedAt >= TimeSpan.FromMilliseconds(280), $"retried after {calls[1].ArrivedAt - calls[0].ArrivedAt}");
        Assert.Equal(2, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_500_once_then_success_answers_200_after_one_retry()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.OpenAiError(500, "The server had an error while processing your request.", "server_error"));
        var before = _upstream.ChatRequests.Count;

        await _client.Turn(id, "Say again");

        Assert.Equal(2, _upstream.ChatRequests.Count - before);
        Assert.Equal(2, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_500_every_time_keeps_its_status_after_all_retries_tells_the_sdk_not_to_retry_and_stores_nothing()
    {
        var id = await _client.CreateConversation();
        for (var i = 0; i <= FaultyUpstreamFixture.MaxRetries; i++)
        {
            _upstream.Enqueue(FakeResponse.OpenAiError(500, "The server had an error.", "server_error"));
        }

        var before = _upstream.ChatRequests.Count;

        using var response = await _client.SendMessage(id, "Say nothing");
        await response.AssertError(HttpStatusCode.InternalServerError, "upstream_error");
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());

        Assert.Equal(1 + FaultyUpstreamFixture.MaxRetries, _upstream.ChatRequests.Count - before);
        Assert.Equal(0, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task An_upstream_that_hangs_past_the_attempt_timeout_is_retried_and_the_next_attempt_answers()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.HangBeforeHeaders);
        var before = _upstream.ChatRequests.Count;

        var completion = await _client.Turn(id, "Say eventually");

        Assert.Equal("Eventually", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var calls = _upstream.ChatRequests.Skip(before).ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(await calls[0].WaitForAbortAsync(TimeSpan.FromSeconds(1)), "the hung attempt was not abandoned");
    }

    [Fact]
    public async Task An_upstream_that_always_hangs_is_a_504_and_nothing_is_stored()
    {
        var id = await _client.CreateConversation();
        for (var i = 0; i <= FaultyUpstreamFixture.MaxRetries; i++)
        {
            _upstream.Enqueue(FakeResponse.HangBeforeHeaders);
        }

        var before = _upstream.ChatRequests.Count;

        await (await _client.SendMessage(id, "Say never")).AssertError(HttpStatusCode.GatewayTimeout, "upstream_timeout");

        Assert.Equal(1 + FaultyUpstreamFixture.MaxRetries, _upstream.ChatRequests.Count - before);
        Assert.Equal(0, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_connection_reset_mid_stream_ends_the_stream_with_an_error_event_keeps_the_partial_reply_and_is_not_retried()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.CutMidStream(piecesBefore: 2));
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.StartStream(id, "Go on");
        var events = await response.ReadEvents();

        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal("upstream_stream_error", JsonDocument.Parse(events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, _upstream.ChatRequests.Count - before);
        var reply = (await _client.Items(id)).GetProperty("data")[1];
        Assert.Equal("incomplete", reply.GetProperty("status").GetString());
        Assert.Equal("One two", reply.GetProperty("content")[0].GetProperty("text").GetString());
        await _client.Turn(id, "Say recovered");
    }

    [Fact]
    public async Task An_error_event_mid_stream_ends_the_stream_with_it_and_keeps_the_partial_reply()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.ErrorMidStream("The model is overloaded.", "server_error", piecesBefore: 3));
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.StartStream(id, "Go on");
        var events = await response.ReadEvents();

        Assert.Contains("The model is overloaded.", JsonDocument.Parse(events[^1]).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, _upstream.ChatRequests.Count - before);
        var items = (await _client.Items(id)).GetProperty("data");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal("incomplete", items[1].GetProperty("status").GetString());
        await _client.Turn(id, "Say recovered");
    }

    [Fact]
    public async Task Malformed_json_from_the_upstream_is_a_502_and_nothing_is_stored()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.MalformedJson);
        var before = _upstream.ChatRequests.Count;

        await (await _client.SendMessage(id, "Say broken")).AssertError(HttpStatusCode.BadGateway, "upstream_malformed_response");

        Assert.Equal(1, _upstream.ChatRequests.Count - before);
        Assert.Equal(0, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_slow_trickle_under_the_idle_timeout_succeeds_even_when_it_outlasts_the_attempt_timeout()
    {
        var id = await _client.CreateConversation();
        // Each gap well under the idle timeout, all of them together well over the attempt timeout.
        var perChunk = FaultyUpstreamFixture.AttemptTimeout / 4;
        _upstream.Enqueue(FakeResponse.StreamOf("One two three four five six", perChunk: perChunk));
        var started = DateTime.UtcNow;

        using var response = await _client.StartStream(id, "Take your time");
        var events = await response.ReadEvents();

        Assert.True(DateTime.UtcNow - started > FaultyUpstreamFixture.AttemptTimeout, "the trickle was not slower than the attempt timeout");
        Assert.Equal("[DONE]", events[^1]);
        var reply = (await _client.Items(id)).GetProperty("data")[1];
        Assert.Equal("completed", reply.GetProperty("status").GetString());
        Assert.Equal("One two three four five six", reply.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_stream_that_goes_quiet_past_the_idle_timeout_ends_with_a_timeout_event_and_keeps_the_partial_reply()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));

        using var response = await _client.StartStream(id, "Then silence");
        var events = await response.ReadEvents();

        Assert.Equal("upstream_timeout", JsonDocument.Parse(events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        var reply = (await _client.Items(id)).GetProperty("data")[1];
        Assert.Equal("incomplete", reply.GetProperty("status").GetString());
        Assert.Equal("One two", reply.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_client_disconnect_is_an_abort_the_upstream_sees_within_a_second()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var before = _upstream.Requests.Count;
        using (var response = await _client.StartStream(id, "Wait for it"))
        {
            await Api.ReadEventsUntil(await response.Content.ReadAsStreamAsync(), read => read.Count >= 3);
        }

        var request = await _upstream.WaitForRequestAsync(before + 1, TimeSpan.FromSeconds(5));
        Assert.True(await request.WaitForAbortAsync(TimeSpan.FromSeconds(1)), "the upstream did not see the abort within a second");
        var items = await Eventually.Within(() => _client.Items(id), i => i.GetProperty("data").GetArrayLength() == 2, TimeSpan.FromSeconds(5));
        Assert.Equal("incomplete", items.GetProperty("data")[1].GetProperty("status").GetString());
    }
}
