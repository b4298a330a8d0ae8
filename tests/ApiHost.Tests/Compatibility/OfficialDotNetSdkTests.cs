using System.ClientModel;
using System.ClientModel.Primitives;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>
/// The official OpenAI .NET SDK, used exactly as against OpenAI with only the endpoint and the key
/// changed, against the real host and a fake upstream.
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed class OfficialDotNetSdkTests(CompatibilityHost fixture) : IDisposable
{
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly RunningApiHost _host = fixture.Host;

    public void Dispose() => _upstream.ClearScript();

    private OpenAIClientOptions Options(int? maxRetries = null)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(_host.Address, "/v1") };
        if (maxRetries is { } retries)
        {
            options.RetryPolicy = new ClientRetryPolicy(maxRetries: retries);
        }

        return options;
    }

    private ChatClient Chat(string key = TestKeys.DefaultUser, int? maxRetries = null) =>
        new("gpt-4o-mini", new ApiKeyCredential(key), Options(maxRetries));

    [Fact]
    public async Task A_chat_completion()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Say this is a test!")]);

        Assert.Equal("This is a test!", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", completion.Model);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal($"Bearer {TestKeys.Upstream}", _upstream.ChatRequests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task A_recorded_openai_answer_reads_back_with_every_field()
    {
        _upstream.Enqueue(FakeResponse.Json(OpenAiSamples.SayThisIsATestCompletion));

        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Say this is a test!")]);

        Assert.Equal(OpenAiSamples.SayThisIsATestId, completion.Id);
        Assert.Equal(OpenAiSamples.SayThisIsATestModel, completion.Model);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(OpenAiSamples.SayThisIsATestCreated), completion.CreatedAt);
        Assert.Equal(OpenAiSamples.SayThisIsATestContent, Assert.Single(completion.Content).Text);
        Assert.Equal("fp_560af6e559", completion.SystemFingerprint);
        Assert.Equal(OpenAiSamples.SayThisIsATestPromptTokens, completion.Usage.InputTokenCount);
        Assert.Equal(OpenAiSamples.SayThisIsATestCompletionTokens, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_streamed_chat_completion_with_usage_at_the_end()
    {
        _upstream.Enqueue(FakeResponse.Raw(OpenAiSamples.SayThisIsATestStream));
        var text = new StringBuilder();
        var updates = new List<StreamingChatCompletionUpdate>();

        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Say this is a test!")]))
        {
            updates.Add(update);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(OpenAiSamples.SayThisIsATestContent, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, updates.Single(u => u.FinishReason is not null).FinishReason);
        Assert.All(updates[..^1], u => Assert.Null(u.Usage));
        var usage = updates[^1].Usage;
        Assert.NotNull(usage);
        Assert.Equal(OpenAiSamples.SayThisIsATestPromptTokens, usage.InputTokenCount);
        Assert.Equal(OpenAiSamples.SayThisIsATestCompletionTokens, usage.OutputTokenCount);
        Assert.Equal(OpenAiSamples.SayThisIsATestPromptTokens + OpenAiSamples.SayThisIsATestCompletionTokens, usage.TotalTokenCount);
    }

    [Fact]
    public async Task A_streamed_answer_from_the_fakes_default_reply()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Say streaming works through the service")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage = update.Usage ?? usage;
        }

        Assert.Equal("Streaming works through the service", text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(FakeReplies.Pieces("Streaming works through the service").Count, usage.OutputTokenCount);
    }

    [Fact]
    public async Task The_model_list()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(TestKeys.DefaultUser), Options());

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Equal(["gpt-4o-mini", "gpt-4o", CompatibilityHost.SlashModel, "offline"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.False(string.IsNullOrEmpty(m.OwnedBy)));

        OpenAIModel one = await client.GetModelAsync(CompatibilityHost.SlashModel);
        Assert.Equal(CompatibilityHost.SlashModel, one.Id);
    }

    [Fact]
    public async Task A_wrong_key_is_a_401_client_result_exception_with_our_message()
    {
        var before = _upstream.ChatRequests.Count;

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat(key: "sk-conv-wrong000000000000000000000000000000000000000").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
        Assert.Contains("Incorrect API key provided.", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_api_key", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task An_upstream_rate_limit_is_a_429_client_result_exception_with_retry_after()
    {
        _upstream.Enqueue(FakeResponse.RateLimited(retryAfter: "30"));

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat(maxRetries: 0).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, error.Status);
        Assert.Contains("rate_limit_exceeded", error.Message, StringComparison.Ordinal);
        var raw = error.GetRawResponse();
        Assert.NotNull(raw);
        Assert.True(raw.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("30", retryAfter);
        Assert.True(raw.Headers.TryGetValue("x-request-id", out var requestId));
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
    }
}
