using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Upstream.Tests;

/// <summary>The fake upstream speaks OpenAI's wire format, odd fields included, as later end-to-end tests assume.</summary>
public sealed class FakeOpenAiServerTests
{
    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task It_listens_on_a_free_loopback_port()
    {
        await using var first = await FakeOpenAiServer.StartAsync();
        await using var second = await FakeOpenAiServer.StartAsync();

        Assert.Equal("127.0.0.1", first.Address.Host);
        Assert.NotEqual(0, first.Address.Port);
        Assert.NotEqual(first.Address.Port, second.Address.Port);
        Assert.Equal($"http://127.0.0.1:{first.Address.Port}/v1", first.BaseUrl);
    }

    [Fact]
    public async Task A_default_stream_has_openais_shape_chunk_by_chunk()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var client = new HttpClient();

        using var response = await client.PostAsync(
            fake.BaseUrl + "/chat/completions",
            Body("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say this is a test!"}],"stream":true,"stream_options":{"include_usage":true}}"""));
        var events = new List<string>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item.Data);
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.All(chunks, c => Assert.True(c.TryGetProperty("obfuscation", out _) && c.TryGetProperty("system_fingerprint", out _) && c.TryGetProperty("service_tier", out _)));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("refusal").ValueKind);
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("logprobs").ValueKind));
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Empty(chunks[^2].GetProperty("choices")[0].GetProperty("delta").EnumerateObject());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(FakeReplies.PromptTokensOf(["Say this is a test!"]), chunks[^1].GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(4, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(
            "This is a test!",
            string.Concat(chunks[1..^2].Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString())));
    }

    [Fact]
    public async Task A_stream_without_include_usage_has_no_usage_at_all()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var client = new HttpClient();

        using var response = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}"""));
        var text = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("\"usage\"", text);
        Assert.EndsWith("data: [DONE]\n\n", text);
    }

    [Fact]
    public async Task Requests_are_recorded_and_scripts_play_in_order_then_the_default()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var client = new HttpClient();
        fake.Enqueue(FakeResponse.Status(503, "busy"), FakeResponse.RateLimited(retryAfter: "7", retryAfterMs: "7000"));
        const string json = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

        using var first = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body(json));
        using var second = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body(json));
        using var third = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body(json));

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], [first.StatusCode, second.StatusCode, third.StatusCode]);
        Assert.Equal("7", second.Headers.GetValues("retry-after").Single());
        Assert.Equal("7000", second.Headers.GetValues("retry-after-ms").Single());
        Assert.Equal("rate_limit_exceeded", JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal([1, 2, 3], fake.ChatRequests.Select(r => r.Number));
        Assert.All(fake.ChatRequests, r => Assert.Equal(json, r.Body));
        Assert.All(fake.ChatRequests, r => Assert.Equal("POST", r.Method));
    }

    [Fact]
    public async Task A_request_the_client_abandons_is_seen_as_aborted()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Enqueue(FakeResponse.HangBeforeHeaders);
        using var client = new HttpClient();
        using var cancellation = new CancellationTokenSource();

        var call = client.PostAsync(fake.BaseUrl + "/chat/completions", Body("{}"), cancellation.Token);
        var request = await fake.WaitForRequestAsync(1, TimeSpan.FromSeconds(5));
        Assert.False(request.WasAborted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await request.WaitForAbortAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_request_answered_in_full_is_not_seen_as_aborted()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var client = new HttpClient();

        using var response = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""));
        await fake.ChatRequests[0].Finished;

        Assert.False(fake.ChatRequests[0].WasAborted);
    }

    [Fact]
    public async Task Bad_requests_get_openais_errors()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var client = new HttpClient();

        using var notJson = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body("{oops"));
        using var noMessages = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body("""{"model":"m"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("messages", JsonDocument.Parse(await noMessages.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
