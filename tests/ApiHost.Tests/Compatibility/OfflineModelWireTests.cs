using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>
/// <c>/v1/chat/completions</c> on a host with no upstream: the built-in <c>offline</c> model answers in
/// OpenAI's wire format, single-shot and streamed, and any other model gets a 404 that says what to configure.
/// </summary>
public sealed class OfflineModelWireTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>, IDisposable
{
    private const string Question = """{"model":"offline","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is the capital of France?"}]""";

    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task A_single_shot_answer_is_a_chat_completion()
    {
        using var response = await _client.PostChat(Question + "}");

        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^req_", response.Header("x-request-id"));
        Assert.StartsWith("chatcmpl-", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("offline", json.GetProperty("model").GetString());
        Assert.InRange(json.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        var choice = Assert.Single(json.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.False(string.IsNullOrWhiteSpace(choice.GetProperty("message").GetProperty("content").GetString()));
        Assert.Contains(choice.GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
        var usage = json.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt64() > 0);
        Assert.True(usage.GetProperty("completion_tokens").GetInt64() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64() + usage.GetProperty("completion_tokens").GetInt64(), usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task A_stream_with_usage_is_role_chunk_content_chunks_finish_chunk_usage_chunk_then_done()
    {
        using var single = await _client.PostChat(Question + "}");
        var completion = await single.ReadJson();

        using var response = await _client.PostChat(Question + ""","stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.True(chunks.Count >= 4, $"expected role, content, finish and usage chunks, got {chunks.Count}");
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.StartsWith("chatcmpl-", chunks[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.All(chunks, c => Assert.Equal("offline", c.GetProperty("model").GetString()));

        var first = Delta(chunks[0]);
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal("", first.GetProperty("content").GetString());

        var content = chunks[1..^2];
        Assert.NotEmpty(content);
        Assert.All(content, c =>
        {
            Assert.False(Delta(c).TryGetProperty("role", out _));
            Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        });

        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal(completion.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), finish.GetProperty("finish_reason").GetString());
        Assert.DoesNotContain(Delta(chunks[^2]).EnumerateObject(), p => p.Value.ValueKind != JsonValueKind.Null);

        // As OpenAI does when asked for usage: every chunk before the usage chunk says usage is null.
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(completion.GetProperty("usage").GetRawText(), usageChunk.GetProperty("usage").GetRawText());

        // The offline model is deterministic: the pieces add up to the single-shot answer.
        Assert.Equal(
            completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(),
            string.Concat(content.Select(c => Delta(c).GetProperty("content").GetString())));
    }

    [Fact]
    public async Task A_stream_without_include_usage_has_no_usage_chunk()
    {
        using var response = await _client.PostChat(Question + ""","stream":true}""");

        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
        Assert.All(chunks, c => Assert.True(!c.TryGetProperty("usage", out var u) || u.ValueKind == JsonValueKind.Null));
        Assert.NotNull(chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Another_model_without_an_upstream_is_404_model_not_found_saying_how_to_configure_one()
    {
        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");

        var error = await response.AssertError(HttpStatusCode.NotFound, "model_not_found");
        Assert.Equal("model", error.GetProperty("param").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("gpt-4o-mini", message, StringComparison.Ordinal);
        Assert.Contains("offline", message, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", message, StringComparison.Ordinal);
        Assert.Contains("OPENAI_BASE_URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_model_streamed_without_an_upstream_is_the_same_404_not_a_stream()
    {
        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true}""");

        await response.AssertError(HttpStatusCode.NotFound, "model_not_found");
    }

    [Fact]
    public async Task The_model_list_is_the_offline_model_alone()
    {
        var list = await _client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal("list", list.GetProperty("object").GetString());
        var model = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("offline", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.True(model.GetProperty("created").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(model.GetProperty("owned_by").GetString()));
    }

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");
}
