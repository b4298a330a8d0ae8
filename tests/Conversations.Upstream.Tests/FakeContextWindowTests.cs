using System.Net;
using System.Text;
using System.Text.Json;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Upstream.Tests;

/// <summary>The fake upstream enforces a context window as OpenAI does, and reports windows in its model list as vLLM does.</summary>
public sealed class FakeContextWindowTests
{
    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_prompt_over_the_window_is_refused_with_openais_400_and_one_at_the_window_is_answered()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var client = new HttpClient();
        // 3 to prime + (3 + "user" 1 + "hello world" 2) = 9 tokens.
        const string prompt = """{"model":"gpt-4o","messages":[{"role":"user","content":"hello world"}]}""";

        fake.ContextWindow = 9;
        using var fits = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body(prompt));
        fake.ContextWindow = 8;
        using var refused = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body(prompt));
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(("context_length_exceeded", "messages", "invalid_request_error"),
            (error.GetProperty("code").GetString(), error.GetProperty("param").GetString(), error.GetProperty("type").GetString()));
        Assert.Equal("This model's maximum context length is 8 tokens. However, your messages resulted in 9 tokens. Please reduce the length of the messages.",
            error.GetProperty("message").GetString());
        Assert.Equal(1, fake.ContextRefusals);
    }

    [Fact]
    public async Task The_output_cap_counts_against_the_window()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var client = new HttpClient();
        fake.ContextWindow = 20;

        using var refused = await client.PostAsync(fake.BaseUrl + "/chat/completions",
            Body("""{"model":"gpt-4o","messages":[{"role":"user","content":"hello world"}],"max_tokens":12}"""));
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("you requested 21 tokens (9 in the messages, 12 in the completion)", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_model_list_reports_the_windows_it_is_given_as_max_model_len()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Models = ["small-model", "gpt-4o"];
        fake.ReportedWindows = new Dictionary<string, long> { ["small-model"] = 2048 };
        using var client = new HttpClient();

        var list = JsonDocument.Parse(await client.GetStringAsync(fake.BaseUrl + "/models")).RootElement.GetProperty("data");

        Assert.Equal(2048, list[0].GetProperty("max_model_len").GetInt64());
        Assert.False(list[1].TryGetProperty("max_model_len", out _));
    }
}
