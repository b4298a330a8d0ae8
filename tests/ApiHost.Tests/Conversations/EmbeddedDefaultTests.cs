using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>
/// The quick start as a new user lives it: no upstream key, the offline model answers, a conversation
/// is created, chatted with single-shot and streamed, and its items come back in order.
/// </summary>
public sealed class EmbeddedDefaultTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private readonly HttpClient _client = fixture.Host.Client();

    [Fact]
    public async Task Creating_a_conversation_answers_200_with_its_id_settings_and_metadata()
    {
        using var response = await _client.PostAsync("/v1/conversations", Api.Json("""{"metadata":{"topic":"demo"},"settings":{"instructions":"Be brief.","temperature":0.2}}"""));
        var json = await response.ReadJson();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("conv_", json.GetProperty("id").GetString());
        Assert.Equal("conversation", json.GetProperty("object").GetString());
        Assert.InRange(json.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.Equal("demo", json.GetProperty("metadata").GetProperty("topic").GetString());
        var settings = json.GetProperty("settings");
        Assert.Equal("offline", settings.GetProperty("model").GetString());
        Assert.Equal("Be brief.", settings.GetProperty("instructions").GetString());
        Assert.Equal(0.2, settings.GetProperty("temperature").GetDouble());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("top_p").ValueKind);
    }

    [Fact]
    public async Task Say_this_is_a_test_returns_a_chat_completion_with_content_and_usage()
    {
        var id = await _client.CreateConversation();

        var completion = await _client.Turn(id, "Say this is a test!");

        Assert.StartsWith("chatcmpl-", completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("offline", completion.GetProperty("model").GetString());
        var choice = completion.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("This is a test!", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = completion.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt64() > 0);
        Assert.True(usage.GetProperty("completion_tokens").GetInt64() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64() + usage.GetProperty("completion_tokens").GetInt64(), usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task A_streamed_turn_sends_at_least_three_chunks_a_usage_chunk_then_done_in_exact_sse_framing()
    {
        var id = await _client.CreateConversation();

        using var response = await _client.StartStream(id, "Tell me about streaming please");
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", raw, StringComparison.Ordinal);
        var events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain('\n', e));
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());

        var contentChunks = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1 && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.GetString()!.Length > 0).ToList();
        Assert.True(contentChunks.Count >= 3, $"only {contentChunks.Count} content chunks");
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.True(usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt64() > 0);

        var streamedText = string.Concat(contentChunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        var items = await _client.Items(id);
        Assert.Equal(streamedText, items.GetProperty("data")[1].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_items_list_shows_every_message_in_order_and_pages_both_ways()
    {
        var id = await _client.CreateConversation("""{"items":[{"type":"message","role":"system","content":"You are terse."}]}""");
        await _client.Turn(id, "Say one!");
        using (var stream = await _client.StartStream(id, "Say two!"))
        {
            await stream.Content.ReadAsStringAsync();
        }

        await _client.Turn(id, "Say three!");

        var all = await _client.Items(id);
        var texts = all.GetProperty("data").EnumerateArray().Select(i => (i.GetProperty("role").GetString(), i.GetProperty("content")[0].GetProperty("text").GetString())).ToList();
        Assert.Equal(
            [("system", "You are terse."), ("user", "Say one!"), ("assistant", "One!"), ("user", "Say two!"), ("assistant", "Two!"), ("user", "Say three!"), ("assistant", "Three!")],
            texts);
        Assert.All(all.GetProperty("data").EnumerateArray(), i => Assert.Equal("completed", i.GetProperty("status").GetString()));
        Assert.Equal("output_text", all.GetProperty("data")[2].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("input_text", all.GetProperty("data")[1].GetProperty("content")[0].GetProperty("type").GetString());

        var newest = await _client.Items(id, "limit=2");
        Assert.Equal(["Three!", "Say three!"], newest.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.True(newest.GetProperty("has_more").GetBoolean());
        var next = await _client.Items(id, $"limit=10&after={newest.GetProperty("last_id").GetString()}");
        Assert.Equal(5, next.GetProperty("data").GetArrayLength());
        Assert.False(next.GetProperty("has_more").GetBoolean());
        Assert.Equal("system", next.GetProperty("data")[4].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Updating_changes_metadata_and_settings_and_deleting_removes_the_conversation()
    {
        var id = await _client.CreateConversation("""{"metadata":{"a":"1"}}""");

        using var updated = await _client.PostAsync($"/v1/conversations/{id}", Api.Json("""{"metadata":{"b":"2"},"settings":{"temperature":1.5,"instructions":"Rhyme."}}"""));
        var json = await updated.ReadJson();
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("""{"b":"2"}""", json.GetProperty("metadata").GetRawText());
        Assert.Equal(1.5, json.GetProperty("settings").GetProperty("temperature").GetDouble());
        Assert.Equal("Rhyme.", (await (await _client.GetAsync($"/v1/conversations/{id}")).ReadJson()).GetProperty("settings").GetProperty("instructions").GetString());

        using var deleted = await _client.DeleteAsync($"/v1/conversations/{id}");
        Assert.Equal("""{"id":"ID","object":"conversation.deleted","deleted":true}""".Replace("ID", id), (await deleted.ReadJson()).GetRawText());
        await (await _client.GetAsync($"/v1/conversations/{id}")).AssertError(HttpStatusCode.NotFound, "not_found");
        await (await _client.GetAsync($"/v1/conversations/{id}/items")).AssertError(HttpStatusCode.NotFound, "not_found");
        await (await _client.SendMessage(id, "hello?")).AssertError(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task The_models_list_names_the_offline_model()
    {
        var models = await (await _client.GetAsync("/v1/models")).ReadJson();

        Assert.Equal("list", models.GetProperty("object").GetString());
        var offline = Assert.Single(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "offline");
        Assert.Equal("model", offline.GetProperty("object").GetString());
        var one = await (await _client.GetAsync("/v1/models/offline")).ReadJson();
        Assert.Equal("offline", one.GetProperty("id").GetString());
        await (await _client.GetAsync("/v1/models/gpt-nothing")).AssertError(HttpStatusCode.NotFound, "model_not_found");
    }
}
