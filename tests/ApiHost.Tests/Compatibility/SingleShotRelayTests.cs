using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Microsoft.AspNetCore.Http;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>
/// <c>POST /v1/chat/completions</c> single-shot through the real host: the upstream's answer comes back
/// byte for byte with the headers OpenAI clients read, and the client's request reaches the upstream
/// as sent, with the provider key in place of the caller's.
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed class SingleShotRelayTests(CompatibilityHost fixture) : IDisposable
{
    /// <summary>An answer with every oddity a proxy could lose: unknown fields, odd whitespace, escapes, exact numbers.</summary>
    private const string UnusualCompletion =
        "{\n  \"id\": \"chatcmpl-Odd0001\",\"object\":\"chat.completion\",  \"created\": 1756890217,\n"
        + "\t\"model\": \"gpt-4o-mini-2024-07-18\",\n  \"choices\": [ { \"index\": 0, \"message\": { \"role\": \"assistant\", \"content\": \"caf\\u00e9 \\ud83d\\ude00 <ok> & done\", \"refusal\": null, \"annotations\": [] },\n"
        + "    \"logprobs\": {\"content\": [{\"token\": \"caf\", \"logprob\": -0.0001, \"bytes\": [99,97,102], \"top_logprobs\": []}], \"refusal\": null}, \"finish_reason\": \"stop\" } ],\n"
        + "  \"usage\": {\"prompt_tokens\": 12, \"completion_tokens\": 5, \"total_tokens\": 17, \"prompt_tokens_details\": {\"cached_tokens\": 0}},\n"
        + "  \"service_tier\": \"default\", \"system_fingerprint\": \"fp_560af6e559\",\n"
        + "  \"x_vendor_extension\": {\"score\": 1.0e2, \"tags\": [\"a\", null, true]}\n}\n";

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose()
    {
        // A scripted response a failing test did not use must not answer the next test.
        _upstream.ClearScript();
        _client.Dispose();
    }

    [Fact]
    public async Task The_upstreams_answer_comes_back_byte_for_byte_with_its_status_and_content_type()
    {
        _upstream.Enqueue(FakeResponse.Json(UnusualCompletion));

        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetBytes(UnusualCompletion), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_upstreams_request_id_processing_time_and_rate_limit_headers_come_through()
    {
        _upstream.Enqueue(Answer(headers:
        [
            ("x-request-id", "req_7f3a9c0e1b2d4e5f6a7b8c9d0e1f2a3b"),
            ("openai-processing-ms", "321"),
            ("x-ratelimit-limit-requests", "10000"),
            ("x-ratelimit-remaining-requests", "9999"),
            ("x-ratelimit-reset-requests", "6ms"),
            ("x-ratelimit-limit-tokens", "200000"),
            ("x-ratelimit-remaining-tokens", "199988"),
            ("x-ratelimit-reset-tokens", "3ms"),
            ("retry-after-ms", "5"),
        ]));

        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("req_7f3a9c0e1b2d4e5f6a7b8c9d0e1f2a3b", response.Header("x-request-id"));
        Assert.Equal("321", response.Header("openai-processing-ms"));
        Assert.Equal("10000", response.Header("x-ratelimit-limit-requests"));
        Assert.Equal("9999", response.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("6ms", response.Header("x-ratelimit-reset-requests"));
        Assert.Equal("200000", response.Header("x-ratelimit-limit-tokens"));
        Assert.Equal("199988", response.Header("x-ratelimit-remaining-tokens"));
        Assert.Equal("3ms", response.Header("x-ratelimit-reset-tokens"));
        Assert.Equal("5", response.Header("retry-after-ms"));
    }

    [Fact]
    public async Task Without_an_upstream_request_id_the_service_makes_one()
    {
        _upstream.Enqueue(Answer(headers: []));

        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Header("x-request-id");
        Assert.Matches("^req_[0-9A-Za-z]{8,}$", id);
    }

    [Fact]
    public async Task Headers_that_name_the_provider_account_do_not_come_through()
    {
        _upstream.Enqueue(Answer(headers:
        [
            ("openai-organization", "org-secret-provider-account"),
            ("openai-project", "proj_secret"),
            ("openai-version", "2020-10-01"),
            ("set-cookie", "__cf_bm=provider-session; path=/; HttpOnly"),
            ("cf-ray", "8f0e1d2c3b4a5968-AMS"),
            ("x-request-id", "req_kept"),
        ]));

        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("req_kept", response.Header("x-request-id"));
        foreach (var name in new[] { "openai-organization", "openai-project", "openai-version", "set-cookie", "cf-ray" })
        {
            Assert.False(response.HasHeader(name), $"{name} was passed to the client");
        }
    }

    [Fact]
    public async Task The_clients_body_reaches_the_upstream_byte_for_byte_with_the_provider_key_only()
    {
        const string Body =
            "{ \"model\": \"gpt-4o\",\n  \"messages\": [{\"role\": \"developer\", \"content\": [{\"type\": \"text\", \"text\": \"Be brief.\"}]}, {\"role\": \"user\", \"content\": \"caf\\u00e9?\"}],\n"
            + "  \"temperature\": 1.0e0, \"top_p\": 0.90, \"seed\": 42, \"user\": \"u-1\", \"response_format\": {\"type\": \"json_object\"},\n"
            + "  \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"lookup\", \"parameters\": {\"type\": \"object\", \"properties\": {}}}}],\n"
            + "  \"x_unknown_future_field\": {\"nested\": [1, 2.50, null]} }";
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _upstream.ChatRequests[before];
        Assert.Equal(Body, sent.Body);
        Assert.Equal($"Bearer {TestKeys.Upstream}", sent.Header("Authorization"));
        Assert.DoesNotContain(sent.Headers, h => h.Value.Contains(TestKeys.DefaultUser, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_alias_changes_only_the_model_the_upstream_sees()
    {
        const string Body = """{"model":"fast","messages":[{"role":"user","content":"Say aliased"}],"temperature":0.70,"x_extra":{"a":[1.0e2]}}""";
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            Body.Replace($"\"model\":\"{CompatibilityHost.Alias}\"", $"\"model\":\"{CompatibilityHost.AliasTarget}\"", StringComparison.Ordinal),
            _upstream.ChatRequests[before].Body);
    }

    [Fact]
    public async Task A_model_alias_is_mapped_even_when_the_client_escapes_the_property_name()
    {
        const string Body = """{"mod\u0065l":"fast","messages":[{"role":"user","content":"Say escaped"}]}""";
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _upstream.ChatRequests[before].Json;
        Assert.Equal(CompatibilityHost.AliasTarget, sent.GetProperty("model").GetString());
        Assert.Single(sent.EnumerateObject(), p => p.Name == "model");
    }

    [Fact]
    public async Task The_documented_curl_example_works_with_only_the_host_and_key_changed()
    {
        // curl https://api.openai.com/v1/chat/completions -H "Content-Type: application/json" \
        //   -H "Authorization: Bearer $OPENAI_API_KEY" -d '{...}'
        const string Body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say this is a test!"}],"temperature":0.7}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/chat/completions"))
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {TestKeys.DefaultUser}");
        using var bare = new HttpClient();
        var before = _upstream.ChatRequests.Count;

        using var response = await bare.SendAsync(request);

        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("This is a test!", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(json.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 0);
        Assert.Equal(Body, _upstream.ChatRequests[before].Body);
    }

    [Fact]
    public async Task A_single_shot_call_is_counted_with_the_upstreams_usage()
    {
        var key = await Wire.NewUserKey(_host, "single-shot-usage");
        using var client = _host.Client(key);
        _upstream.Enqueue(FakeResponse.Json(OpenAiSamples.SayThisIsATestCompletion));

        using var response = await client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say this is a test!"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var usage = await Eventually.Within(
            async () => (await client.GetFromJsonAsync<JsonElement>("/v1/usage")).GetProperty("total"),
            total => total.GetProperty("requests").GetInt64() == 1,
            TimeSpan.FromSeconds(5));
        Assert.Equal(1, usage.GetProperty("requests").GetInt64());
        Assert.Equal(OpenAiSamples.SayThisIsATestPromptTokens, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(OpenAiSamples.SayThisIsATestCompletionTokens, usage.GetProperty("completion_tokens").GetInt64());
    }

    /// <summary>A plain completion with exactly the given upstream headers (and no others the fake adds).</summary>
    private static FakeResponse Answer((string Name, string Value)[] headers) => FakeResponse.Handle(async (context, _) =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers.Append(name, value);
        }

        await context.Response.WriteAsync(OpenAiSamples.SayThisIsATestCompletion, context.RequestAborted);
    });
}
