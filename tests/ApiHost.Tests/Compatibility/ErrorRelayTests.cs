using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>
/// Failures on <c>/v1/chat/completions</c>: the upstream's own errors come back as it sent them, status
/// and OpenAI envelope intact, so SDKs raise the same typed errors; the service's own errors use the
/// same envelope.
/// </summary>
[Collection(CompatibilityCollection.Name)]
public sealed class ErrorRelayTests(CompatibilityHost fixture) : IDisposable
{
    private const string Hello = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly RunningApiHost _host = fixture.Host;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose()
    {
        _upstream.ClearScript();
        _client.Dispose();
    }

    [Fact]
    public async Task An_upstream_400_comes_back_with_its_param_as_sent()
    {
        var error = FakeReplies.ErrorEnvelope("Invalid value for 'temperature': must be between 0 and 2.", "invalid_request_error", "invalid_value", "temperature");
        _upstream.Enqueue(FakeResponse.Status(400, error));

        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":3}""");

        await AssertRelayed(response, HttpStatusCode.BadRequest, error);
        Assert.Equal("temperature", JsonDocument.Parse(error).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    /// <summary>
    /// The one upstream error not relayed as sent: an upstream 401/403 is about the service's provider
    /// key, not the caller's. Relaying it would make the caller doubt their own key and would show part of
    /// the provider key (OpenAI quotes it masked), so it becomes a 502 as on the conversation route.
    /// </summary>
    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task An_upstream_401_or_403_is_a_502_that_shows_nothing_of_the_provider_key(int status)
    {
        var masked = TestKeys.Upstream[..8] + "****" + TestKeys.Upstream[^4..];
        _upstream.Enqueue(FakeResponse.Status(status, FakeReplies.ErrorEnvelope($"Incorrect API key provided: {masked}.", "invalid_request_error", "invalid_api_key", null)));

        using var response = await _client.PostChat(Hello);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unauthorized", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(TestKeys.Upstream[^4..], body);
        Assert.DoesNotContain(masked, body);
    }

    [Fact]
    public async Task An_upstream_404_for_an_unknown_model_comes_back_as_sent()
    {
        var error = FakeReplies.ErrorEnvelope("The model `gpt-5-imaginary` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found", null);
        _upstream.Enqueue(FakeResponse.Status(404, error));

        using var response = await _client.PostChat("""{"model":"gpt-5-imaginary","messages":[{"role":"user","content":"hi"}]}""");

        await AssertRelayed(response, HttpStatusCode.NotFound, error);
    }

    [Fact]
    public async Task An_upstream_429_asking_for_a_longer_wait_than_the_service_sits_out_comes_back_at_once_with_its_headers()
    {
        Assert.True(TimeSpan.FromSeconds(30) > CompatibilityHost.MaxRetryAfter);
        _upstream.Enqueue(FakeResponse.RateLimited(retryAfter: "30"));
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(Hello);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.Equal("0", response.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("20s", response.Header("x-ratelimit-reset-requests"));
        var error = (await response.ReadJson()).GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("requests", error.GetProperty("type").GetString());
        Assert.Equal(before + 1, _upstream.ChatRequests.Count);
    }

    [Fact]
    public async Task An_upstream_500_is_retried_and_the_last_one_comes_back_as_sent()
    {
        var error = FakeReplies.ErrorEnvelope("The server had an error while processing your request. Sorry about that!", "server_error", null, null);
        for (var i = 0; i < 3; i++)
        {
            _upstream.Enqueue(FakeResponse.Status(500, error));
        }

        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(Hello);

        await AssertRelayed(response, HttpStatusCode.InternalServerError, error);
        Assert.Equal(before + 3, _upstream.ChatRequests.Count);
        // Retried here already: the SDK is told not to multiply the attempts.
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
    }

    [Fact]
    public async Task An_upstream_500_that_clears_on_retry_is_never_seen_by_the_client()
    {
        _upstream.Enqueue(FakeResponse.Status(500, FakeReplies.ErrorEnvelope("Transient.", "server_error", null, null)));

        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say recovered"}]}""");

        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        Assert.Equal("Recovered", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_streamed_request_the_upstream_refuses_gets_the_refusal_as_json_not_a_stream()
    {
        var error = FakeReplies.ErrorEnvelope("Invalid type for 'messages[0].content'.", "invalid_request_error", "invalid_type", "messages[0].content");
        _upstream.Enqueue(FakeResponse.Status(400, error));

        using var response = await _client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":7}],"stream":true}""");

        await AssertRelayed(response, HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task A_call_without_a_key_is_401_in_openais_envelope()
    {
        using var anonymous = _host.Client(key: null);

        using var response = await anonymous.PostChat(Hello);

        var error = await response.AssertError(HttpStatusCode.Unauthorized, "missing_api_key");
        Assert.Contains("Authorization: Bearer", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_401_invalid_api_key_and_nothing_reaches_the_upstream()
    {
        using var stranger = _host.Client("sk-conv-not-a-real-key-000000000000000000000000000000");
        var before = _upstream.ChatRequests.Count;

        using var response = await stranger.PostChat(Hello);

        await response.AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    [Theory]
    [InlineData("{\"model\":\"gpt-4o-mini\",\"messages\":[", "invalid_json", null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "missing_required_parameter", "model")]
    [InlineData("""{"model":"gpt-4o-mini"}""", "missing_required_parameter", "messages")]
    [InlineData("""{"model":4,"messages":[]}""", "invalid_type", "model")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[],"stream":"yes"}""", "invalid_type", "stream")]
    public async Task A_request_the_service_refuses_gets_400_in_openais_envelope_and_never_reaches_the_upstream(string body, string code, string? param)
    {
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat(body);

        var error = await response.AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Matches("^req_", response.Header("x-request-id"));
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    private static async Task AssertRelayed(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Matches("^req_", response.Header("x-request-id"));
    }
}
