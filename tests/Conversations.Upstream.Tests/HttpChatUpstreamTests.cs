using Conversations.Core.Messages;
using Conversations.Core.Upstream;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

public sealed class HttpChatUpstreamTests
{
    [Fact]
    public async Task A_single_shot_reply_comes_back_with_its_id_content_and_usage()
    {
        await using var harness = await StartAsync();

        var completion = (await harness.Http.CompleteAsync(Ask("Say this is a test!"), CancellationToken.None)).AsT0;

        var sent = Assert.Single(harness.Fake.ChatRequests);
        Assert.Equal("This is a test!", completion.Content);
        Assert.Equal("stop", completion.FinishReason);
        Assert.Equal("gpt-4o-mini", completion.Model);
        Assert.Equal($"chatcmpl-Fake{sent.Number:D25}", completion.Id);
        Assert.Equal(FakeReplies.UsageOf(FakeReplies.PromptTokensOf(["Be brief.", "Say this is a test!"]), "This is a test!"), completion.Usage);
    }

    [Fact]
    public async Task A_single_shot_request_sends_the_model_and_messages_and_does_not_ask_for_a_stream()
    {
        await using var harness = await StartAsync();
        var request = Ask("hello", "gpt-4o") with { Temperature = 0.3, MaxTokens = 50 };

        await harness.Http.CompleteAsync(request, CancellationToken.None);

        var body = Assert.Single(harness.Fake.ChatRequests).Json;
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        Assert.Equal(2, body.GetProperty("messages").GetArrayLength());
        Assert.Equal("hello", body.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal(0.3, body.GetProperty("temperature").GetDouble());
        Assert.Equal(50, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("stream", out _));
        Assert.False(body.TryGetProperty("top_p", out _));
    }

    [Fact]
    public async Task A_stream_yields_the_chunks_in_order_and_ends_with_the_usage()
    {
        await using var harness = await StartAsync();

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("Say one two three four", stream: true), CancellationToken.None));

        Assert.All(items, item => Assert.True(item.IsT0, item.IsT1 ? item.AsT1.ToString() : ""));
        var chunks = items.Select(item => item.AsT0).ToList();
        Assert.Equal(["", "One", " two", " three", " four", "", ""], chunks.Select(c => c.ContentDelta));
        Assert.Equal("stop", chunks[^2].FinishReason);
        Assert.Equal(FakeReplies.UsageOf(FakeReplies.PromptTokensOf(["Be brief.", "Say one two three four"]), "One two three four"), chunks[^1].Usage);
        Assert.All(chunks[..^1], c => Assert.Null(c.Usage));
        Assert.All(chunks, c => Assert.StartsWith("chatcmpl-Fake", c.Id));
    }

    [Fact]
    public async Task A_stream_request_asks_for_a_stream_with_usage()
    {
        await using var harness = await StartAsync();

        await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: true), CancellationToken.None));

        var sent = Assert.Single(harness.Fake.ChatRequests);
        Assert.True(sent.Json.GetProperty("stream").GetBoolean());
        Assert.True(sent.Json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("text/event-stream", sent.Header("Accept"));
    }

    [Fact]
    public async Task StreamAsync_streams_even_when_handed_a_request_marked_single_shot()
    {
        await using var harness = await StartAsync();

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("hi", stream: false), CancellationToken.None));

        Assert.True(Assert.Single(harness.Fake.ChatRequests).Json.GetProperty("stream").GetBoolean());
        Assert.Equal("You said: hi", string.Concat(items.Select(i => i.AsT0.ContentDelta)));
    }

    [Fact]
    public async Task A_recorded_openai_stream_is_read_exactly()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream));

        var chunks = (await CollectAsync(harness.Http.StreamAsync(Ask("Say this is a test!", stream: true), CancellationToken.None)))
            .Select(item => item.AsT0).ToList();

        var draft = FoldDraft(chunks);
        Assert.Equal(OpenAiSamples.SayThisIsATestContent, TextOf(draft));
        Assert.Equal(OpenAiSamples.SayThisIsATestId, draft.CompletionId);
        Assert.Equal(OpenAiSamples.SayThisIsATestModel, draft.Model);
        Assert.Equal(OpenAiSamples.SayThisIsATestCreated, draft.Created);
        Assert.Equal("stop", draft.FinishReason);
        Assert.Equal(new TokenUsage(OpenAiSamples.SayThisIsATestPromptTokens, OpenAiSamples.SayThisIsATestCompletionTokens), draft.Usage);
    }

    [Fact]
    public async Task A_recorded_stream_arriving_in_tiny_pieces_is_read_the_same()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream.Replace("\n", "\r\n"), pieceSize: 7));

        var chunks = (await CollectAsync(harness.Http.StreamAsync(Ask("Say this is a test!", stream: true), CancellationToken.None)))
            .Select(item => item.AsT0).ToList();

        Assert.Equal(OpenAiSamples.SayThisIsATestContent, string.Concat(chunks.Select(c => c.ContentDelta)));
        Assert.Equal(OpenAiSamples.SayThisIsATestCompletionTokens, chunks[^1].Usage!.CompletionTokens);
    }

    [Fact]
    public async Task The_stream_stops_at_done_and_ignores_anything_after_it()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream + "data: {this is not json\n\n"));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("x", stream: true), CancellationToken.None));

        Assert.All(items, item => Assert.True(item.IsT0));
        Assert.Equal(OpenAiSamples.SayThisIsATestContent, string.Concat(items.Select(i => i.AsT0.ContentDelta)));
    }

    [Fact]
    public async Task Comments_blank_data_and_unknown_event_types_in_a_stream_are_skipped()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Raw(
            ": keep-alive\n\n"
            + "event: ping\ndata: {}\n\n"
            + "data:\n\n"
            + """data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}""" + "\n\n"
            + """data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n"
            + "data: [DONE]\n\n"));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("x", stream: true), CancellationToken.None));

        Assert.Equal(["Hi", ""], items.Select(i => i.AsT0.ContentDelta));
    }

    [Fact]
    public async Task A_stream_that_ends_without_done_after_its_finish_reason_is_complete()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.StreamOf("All done here", FakeStreamEnding.Close));

        var items = await CollectAsync(harness.Http.StreamAsync(Ask("x", stream: true), CancellationToken.None));

        Assert.All(items, item => Assert.True(item.IsT0));
        Assert.Equal("All done here", string.Concat(items.Select(i => i.AsT0.ContentDelta)));
    }

    [Fact]
    public async Task A_server_that_ignores_stream_and_answers_whole_is_passed_on_as_chunks()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Json(OpenAiSamples.SayThisIsATestCompletion));

        var chunks = (await CollectAsync(harness.Http.StreamAsync(Ask("x", stream: true), CancellationToken.None))).Select(i => i.AsT0).ToList();

        Assert.Equal(2, chunks.Count);
        Assert.Equal(("This is a test!", "stop"), (chunks[0].ContentDelta, chunks[0].FinishReason));
        Assert.Equal(new TokenUsage(12, 5), chunks[1].Usage);
    }

    [Fact]
    public async Task A_reply_without_usage_is_counted_with_the_tokenizer()
    {
        await using var harness = await StartAsync();
        harness.Fake.Enqueue(FakeResponse.Json("""{"id":"chatcmpl-nousage","object":"chat.completion","created":1,"model":"llama3","choices":[{"index":0,"message":{"role":"assistant","content":"This is a test!"},"finish_reason":"stop"}]}"""));
        var request = Ask("Say this is a test!");

        var completion = (await harness.Http.CompleteAsync(request, CancellationToken.None)).AsT0;

        var counter = new TokenCounter();
        Assert.Equal(new TokenUsage(PromptTokens.Count(request.Messages, counter.Count), 5), completion.Usage);
    }

    [Fact]
    public async Task The_model_list_is_read_from_the_upstream()
    {
        await using var harness = await StartAsync();
        harness.Fake.Models = ["gpt-4o-mini", "o3-mini", "text-embedding-3-small"];

        var models = (await harness.Http.ListModelsAsync(CancellationToken.None)).AsT0;

        Assert.Equal(["gpt-4o-mini", "o3-mini", "text-embedding-3-small"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.Equal("system", m.OwnedBy));
        Assert.Equal("GET", Assert.Single(harness.Fake.Requests).Method);
    }

    [Fact]
    public async Task A_base_url_with_a_trailing_slash_or_a_query_still_reaches_the_right_path()
    {
        await using var harness = await StartAsync();
        await using var slashed = Build(new Dictionary<string, string?>(TestSettings(harness.Fake.BaseUrl + "/?api-version=2024-10-21")));

        var completion = await slashed.GetRequiredService<HttpChatUpstream>().CompleteAsync(Ask("hi"), CancellationToken.None);

        Assert.True(completion.IsT0);
        Assert.Equal("/v1/chat/completions", Assert.Single(harness.Fake.ChatRequests).Path);
    }

    [Fact]
    public async Task Every_call_carries_an_idempotency_key_of_its_own()
    {
        await using var harness = await StartAsync();

        await harness.Http.CompleteAsync(Ask("one"), CancellationToken.None);
        await harness.Http.CompleteAsync(Ask("two"), CancellationToken.None);

        var keys = harness.Fake.ChatRequests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.All(keys, key => Assert.False(string.IsNullOrEmpty(key)));
        Assert.NotEqual(keys[0], keys[1]);
    }
}
