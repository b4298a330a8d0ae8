using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Conversations.Upstream;
using Microsoft.Extensions.Options;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// A turn is never appended twice by a repeat: with <c>Idempotency-Key</c> (added to the SDK's request
/// through <c>RequestOptions</c>) a repeat gets the first response and the turn is appended once; without
/// one, the SDK's own immediate retry after a failure finds nothing left behind by the failed attempt. The
/// SDK's streaming call takes no <c>RequestOptions</c>, so the streamed repeat is sent as the SDK would
/// send it, over plain HTTP.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class ResponseIdempotencyTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();
    private readonly HttpClient _http = fixture.Host.Client();
    private readonly UpstreamOptions _upstreamOptions = fixture.Host.Services.GetRequiredService<IOptions<UpstreamOptions>>().Value;

    public void Dispose() => _upstream.ClearScript();

    [Fact]
    public async Task The_same_turn_sent_twice_with_one_key_appends_once_and_answers_the_same_response()
    {
        var conversationId = await _conversations.NewConversation();
        var key = $"retry-{Guid.NewGuid():N}";
        var before = _upstream.ChatRequests.Count;

        var first = await SendWithKey(conversationId, "Say only once", key);
        var again = await SendWithKey(conversationId, "Say only once", key);

        Assert.Equal("Only once", first.GetOutputText());
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.GetOutputText(), again.GetOutputText());
        Assert.Single(_upstream.ChatRequestsSince(before));
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say only once", "assistant: Only once"], items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task Another_key_is_another_turn()
    {
        var conversationId = await _conversations.NewConversation();

        var first = await SendWithKey(conversationId, "Say twice", $"first-{Guid.NewGuid():N}");
        var second = await SendWithKey(conversationId, "Say twice", $"second-{Guid.NewGuid():N}");

        Assert.NotEqual(first.Id, second.Id);
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say twice", "assistant: Twice", "user: Say twice", "assistant: Twice"], items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task The_same_streamed_turn_sent_twice_with_one_key_appends_once_and_streams_the_same_response()
    {
        var conversationId = await _conversations.NewConversation();
        var key = $"retry-{Guid.NewGuid():N}";
        var before = _upstream.ChatRequests.Count;

        var first = await StreamWithKey(conversationId, "Say streamed only once", key);
        var again = await StreamWithKey(conversationId, "Say streamed only once", key);

        Assert.Equal("response.completed", first[^1].GetProperty("type").GetString());
        Assert.Equal("response.completed", again[^1].GetProperty("type").GetString());
        Assert.Equal(ResponseId(first), ResponseId(again));
        Assert.Equal("Streamed only once", again[^1].GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Single(_upstream.ChatRequestsSince(before));
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say streamed only once", "assistant: Streamed only once"], items.Select(Sdk.Describe));
    }

    [Fact]
    public async Task The_same_chained_response_sent_twice_with_one_key_runs_once_and_answers_the_same_response()
    {
        ResponseResult earlier = await _responses.CreateResponseAsync(Model, "Say earlier");
        var key = $"retry-{Guid.NewGuid():N}";
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Say chained only once");
        options.PreviousResponseId = earlier.Id;

        var first = await SendWithKey(options, key);
        var again = await SendWithKey(options, key);

        Assert.Equal("Chained only once", first.GetOutputText());
        Assert.Equal(first.Id, again.Id);
        Assert.Single(_upstream.ChatRequestsSince(before));
    }

    [Fact]
    public async Task The_same_streamed_chained_response_sent_twice_with_one_key_runs_once_and_streams_the_same_events()
    {
        ResponseResult earlier = await _responses.CreateResponseAsync(Model, "Say earlier");
        var key = $"retry-{Guid.NewGuid():N}";
        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Say streamed and chained once");
        options.PreviousResponseId = earlier.Id;

        var first = await StreamWithKey(options, key);
        var again = await StreamWithKey(options, key);

        Assert.Equal("response.completed", first[^1].GetProperty("type").GetString());
        Assert.Equal(first.Select(e => e.GetRawText()), again.Select(e => e.GetRawText()));
        Assert.Single(_upstream.ChatRequestsSince(before));
    }

    [Fact]
    public async Task A_chained_response_that_failed_under_a_key_runs_again_when_repeated()
    {
        ResponseResult earlier = await _responses.CreateResponseAsync(Model, "Say earlier");
        _upstream.Enqueue(FakeResponse.ErrorMidStream("The upstream broke down.", piecesBefore: 2));
        var key = $"retry-{Guid.NewGuid():N}";
        var options = Sdk.Ask(Model, "Say after the failure");
        options.PreviousResponseId = earlier.Id;

        var failed = await StreamWithKey(options, key);
        var again = await StreamWithKey(options, key);

        Assert.Equal("response.failed", failed[^1].GetProperty("type").GetString());
        Assert.Equal("response.completed", again[^1].GetProperty("type").GetString());
        Assert.NotEqual(ResponseId(failed), ResponseId(again));
    }

    [Fact]
    public async Task The_same_words_sent_twice_without_a_key_are_two_turns_but_the_sdks_marked_retry_gets_the_first_again()
    {
        var conversationId = await _conversations.NewConversation();
        var body = JsonSerializer.Serialize(new { model = Model, conversation = conversationId, input = "Say continue" });
        var before = _upstream.ChatRequests.Count;

        var first = await PostRaw(body, retryCount: null);
        var second = await PostRaw(body, retryCount: "0");
        var retried = await PostRaw(body, retryCount: "1");

        Assert.NotEqual(first, second);
        Assert.Equal(second, retried);
        Assert.Equal(2, _upstream.ChatRequestsSince(before).Count);
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say continue", "assistant: Continue", "user: Say continue", "assistant: Continue"], items.Select(Sdk.Describe));
    }

    /// <summary>Posts a response as a plain HTTP client would, with the SDKs' attempt count when given; returns the response id.</summary>
    private async Task<string> PostRaw(string body, string? retryCount)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryCount is not null)
        {
            request.Headers.Add("x-stainless-retry-count", retryCount);
        }

        using var response = await _http.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.GetRawText());
        return json.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// The SDK sends no key and retries a 500 at once; a turn that failed must have left nothing behind, so
    /// the retry that succeeds appends the turn once.
    /// </summary>
    [Fact]
    public async Task A_turn_the_sdk_retries_after_an_upstream_failure_is_appended_once()
    {
        var conversationId = await _conversations.NewConversation();
        var attemptsPerCall = 1 + _upstreamOptions.MaxRetries;
        for (var i = 0; i < attemptsPerCall; i++)
        {
            _upstream.Enqueue(FakeResponse.OpenAiError(500, "The server had an error while processing your request.", "server_error"));
        }

        var before = _upstream.ChatRequests.Count;
        var options = Sdk.Ask(Model, "Say after a retry");
        options.ConversationOptions = new ResponseConversationOptions(conversationId);

        ResponseResult response = await _responses.CreateResponseAsync(options);

        Assert.Equal("After a retry", response.GetOutputText());
        Assert.Equal(attemptsPerCall + 1, _upstream.ChatRequestsSince(before).Count);
        var (items, _) = await _conversations.AllItems(conversationId);
        Assert.Equal(["user: Say after a retry", "assistant: After a retry"], items.Select(Sdk.Describe));
    }

    private async Task<ResponseResult> SendWithKey(string conversationId, string text, string key)
    {
        var options = Sdk.Ask(Model, text);
        options.ConversationOptions = new ResponseConversationOptions(conversationId);
        return await SendWithKey(options, key);
    }

    /// <summary>The SDK's own request, with the key added as a header.</summary>
    private async Task<ResponseResult> SendWithKey(CreateResponseOptions options, string key)
    {
        var request = new RequestOptions();
        request.AddHeader("Idempotency-Key", key);
        ClientResult result = await _responses.CreateResponseAsync(BinaryContent.Create(options), request);
        Assert.Equal(200, result.GetRawResponse().Status);
        return ModelReaderWriter.Read<ResponseResult>(result.GetRawResponse().Content)!;
    }

    /// <summary>The streamed turn as the SDK sends it (its JSON, <c>Accept: text/event-stream</c>) with the key; returns the events' data.</summary>
    private async Task<List<JsonElement>> StreamWithKey(string conversationId, string text, string key)
    {
        var options = Sdk.Ask(Model, text);
        options.ConversationOptions = new ResponseConversationOptions(conversationId);
        return await StreamWithKey(options, key);
    }

    private async Task<List<JsonElement>> StreamWithKey(CreateResponseOptions options, string key)
    {
        options.StreamingEnabled = true;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses")
        {
            Content = new StringContent(ModelReaderWriter.Write(options).ToString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(JsonDocument.Parse(item.Data).RootElement);
        }

        return events;
    }

    private static string? ResponseId(List<JsonElement> events) => events[^1].GetProperty("response").GetProperty("id").GetString();
}
