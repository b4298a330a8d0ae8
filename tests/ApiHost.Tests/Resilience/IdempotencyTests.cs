using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Microsoft.AspNetCore.Http;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>
/// <c>Idempotency-Key</c>, as the OpenAI SDKs send it and reuse it on retries: a repeat gets the first
/// result without calling the upstream again; the key with another request is a 422; a repeat while the
/// first still runs is a 409; and the record survives a restart.
/// </summary>
public sealed class IdempotencyTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>, IDisposable
{
    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say once"}]}""";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task A_repeated_turn_returns_the_first_completion_and_runs_the_turn_once()
    {
        var id = await _client.CreateConversation();
        var key = NewKey();
        var before = _upstream.ChatRequests.Count;

        var first = await (await SendTurn(id, key, "Say once")).ReadJson();
        var again = await (await SendTurn(id, key, "Say once")).ReadJson();

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal(1, _upstream.ChatRequests.Count - before);
        Assert.Equal(2, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_repeated_streamed_turn_streams_the_stored_reply_again_with_the_same_completion_id()
    {
        var id = await _client.CreateConversation();
        var key = NewKey();
        var before = _upstream.ChatRequests.Count;

        var first = await Stream(id, key, "Say streamed once");
        var again = await Stream(id, key, "Say streamed once");

        Assert.Equal("[DONE]", again[^1]);
        Assert.Equal(CompletionId(first), CompletionId(again));
        Assert.Equal(Text(first), Text(again));
        Assert.Equal(1, _upstream.ChatRequests.Count - before);
        Assert.Equal(2, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_a_422()
    {
        var id = await _client.CreateConversation();
        var key = NewKey();
        using var first = await SendTurn(id, key, "Say one thing");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        await (await SendTurn(id, key, "Say another thing")).AssertError(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        using var chat = await PostChat(key, Chat);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        await (await PostChat(key, Chat.Replace("once", "twice"))).AssertError(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Fact]
    public async Task A_repeat_while_the_first_still_runs_is_a_409_and_then_gets_the_result()
    {
        var id = await _client.CreateConversation();
        var key = NewKey();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Enqueue(FakeResponse.Handle(async (context, request) =>
        {
            arrived.SetResult();
            await release.Task;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(FakeReplies.Completion("chatcmpl-held", 1, "gpt-4o-mini", "Held", FakeReplies.UsageOf(3, "Held")));
        }));

        var first = SendTurn(id, key, "Say held");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await (await SendTurn(id, key, "Say held")).AssertError(HttpStatusCode.Conflict, "idempotency_key_in_use");
        release.SetResult();

        var firstBody = await (await first).ReadJson();
        var repeat = await (await SendTurn(id, key, "Say held")).ReadJson();
        Assert.Equal("chatcmpl-held", repeat.GetProperty("id").GetString());
        Assert.Equal(firstBody.GetRawText(), repeat.GetRawText());
    }

    [Fact]
    public async Task A_failed_first_attempt_frees_the_key_so_the_retry_runs()
    {
        var id = await _client.CreateConversation();
        var key = NewKey();
        _upstream.Enqueue(FakeResponse.OpenAiError(400, "Bad thing.", "invalid_request_error", "invalid_value", "messages"));

        await (await SendTurn(id, key, "Say retry")).AssertError(HttpStatusCode.BadRequest, "invalid_value");
        var retried = await (await SendTurn(id, key, "Say retry")).ReadJson();

        Assert.Equal("Retry", retried.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, (await _client.Items(id)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_repeated_stateless_call_gets_the_first_answer_byte_for_byte_and_the_upstream_is_called_once()
    {
        var key = NewKey();
        var before = _upstream.ChatRequests.Count;

        using var first = await PostChat(key, Chat);
        using var again = await PostChat(key, Chat);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.GetValues("x-request-id"), again.Headers.GetValues("x-request-id"));
        Assert.Equal(1, _upstream.ChatRequests.Count - before);
    }

    [Fact]
    public async Task A_repeated_stateless_stream_replays_the_same_events()
    {
        var key = NewKey();
        var body = Chat.Replace("\"messages\"", "\"stream\":true,\"messages\"");
        var before = _upstream.ChatRequests.Count;

        using var first = await PostChat(key, body);
        var firstText = await first.Content.ReadAsStringAsync();
        using var again = await PostChat(key, body);

        Assert.Equal("text/event-stream", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(firstText, await again.Content.ReadAsStringAsync());
        Assert.EndsWith("data: [DONE]\n\n", firstText, StringComparison.Ordinal);
        Assert.Equal(1, _upstream.ChatRequests.Count - before);
    }

    [Fact]
    public async Task The_idempotency_record_survives_a_restart()
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            var key = NewKey();
            string conversation, firstTurn, firstChat;
            await using (var host = await RunningApiHost.StartAsync(_upstream, dataDirectory: data))
            {
                var client = host.Client();
                conversation = await client.CreateConversation();
                firstTurn = await (await Send(client, conversation, key, "Say durable")).Content.ReadAsStringAsync();
                firstChat = await (await Post(client, key, Chat)).Content.ReadAsStringAsync();
            }

            var before = _upstream.ChatRequests.Count;
            await using var restarted = await RunningApiHost.StartAsync(_upstream, dataDirectory: data);
            var again = restarted.Client();

            Assert.Equal(firstTurn, await (await Send(again, conversation, key, "Say durable")).Content.ReadAsStringAsync());
            Assert.Equal(firstChat, await (await Post(again, key, Chat)).Content.ReadAsStringAsync());
            Assert.Equal(before, _upstream.ChatRequests.Count);
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    private static string NewKey() => $"test-{Guid.NewGuid():N}";

    private Task<HttpResponseMessage> SendTurn(string conversationId, string key, string content) => Send(_client, conversationId, key, content);

    private Task<HttpResponseMessage> PostChat(string key, string body) => Post(_client, key, body);

    private static Task<HttpResponseMessage> Send(HttpClient client, string conversationId, string key, string content, bool stream = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{conversationId}/messages")
        {
            Content = Api.Json(JsonSerializer.Serialize(new { content, stream })),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Api.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private async Task<List<string>> Stream(string conversationId, string key, string content)
    {
        using var response = await Send(_client, conversationId, key, content, stream: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadEvents();
    }

    private static string CompletionId(List<string> events) => JsonDocument.Parse(events[0]).RootElement.GetProperty("id").GetString()!;

    private static string Text(List<string> events) => string.Concat(events
        .Where(e => e != "[DONE]")
        .Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices"))
        .Where(c => c.GetArrayLength() == 1 && c[0].GetProperty("delta").TryGetProperty("content", out _))
        .Select(c => c[0].GetProperty("delta").GetProperty("content").GetString()));
}
