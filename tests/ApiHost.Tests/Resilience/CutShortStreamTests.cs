using System.Net.Http.Headers;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>
/// A reply kept as incomplete is never presented as a finished one: not when the upstream says
/// <c>[DONE]</c> without a finish reason, and not when an idempotent retry replays it.
/// </summary>
public sealed class CutShortStreamTests(FaultyUpstreamFixture fixture) : IClassFixture<FaultyUpstreamFixture>, IDisposable
{
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_stream_that_says_done_without_a_finish_reason_ends_with_an_error_event_not_stop()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.Events([
            new FakeSseEvent(Chunk("""{"role":"assistant","content":""}""")),
            new FakeSseEvent(Chunk("""{"content":"Half a"}""")),
            new FakeSseEvent(Chunk("""{"content":" sentence"}"""))]));

        using var response = await _client.StartStream(id, "Go");
        var events = await response.ReadEvents();

        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal("upstream_stream_error", JsonDocument.Parse(events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(events, e => e.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
        var reply = (await _client.Items(id)).GetProperty("data")[1];
        Assert.Equal("incomplete", reply.GetProperty("status").GetString());
        Assert.Equal("Half a sentence", reply.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_idempotent_retry_of_a_stream_that_failed_mid_way_replays_the_failure_not_a_success()
    {
        var id = await _client.CreateConversation();
        _upstream.Enqueue(FakeResponse.ErrorMidStream("The model is overloaded.", "server_error", piecesBefore: 2));
        var before = _upstream.ChatRequests.Count;

        var first = await Stream(id, "Go on", "cut-short-key");
        var again = await Stream(id, "Go on", "cut-short-key");

        Assert.DoesNotContain("[DONE]", first);
        Assert.DoesNotContain("[DONE]", again);
        Assert.Contains("\"error\"", again[^1], StringComparison.Ordinal);
        Assert.Equal(1, _upstream.ChatRequests.Count - before);
        Assert.Equal(2, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    private static string Chunk(string delta) =>
        $$"""{"id":"chatcmpl-cut","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":null}],"usage":null}""";

    private async Task<List<string>> Stream(string id, string content, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{id}/messages")
        {
            Content = Api.Json(JsonSerializer.Serialize(new { content, stream = true })),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Idempotency-Key", key);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return await response.ReadEvents();
    }
}
