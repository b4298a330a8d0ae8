using Conversations.ApiHost.Tests.Compatibility;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>
/// A streamed stateless call with an <c>Idempotency-Key</c> that did not succeed frees its key, however it
/// failed, so the SDK's retry with the same key runs the call instead of meeting a 409.
/// </summary>
public sealed class StreamedCallIdempotencyTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>, IDisposable
{
    private const string StreamedChat = """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say again"}]}""";

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose() => _upstream.ClearScript();

    /// <summary>Regression: a streamed call answered with an upstream error kept its key "in use" for half an hour.</summary>
    [Fact]
    public async Task A_streamed_call_the_upstream_refused_frees_its_key_so_the_retry_runs()
    {
        var key = NewKey();
        _upstream.Enqueue(FakeResponse.OpenAiError(400, "Bad thing.", "invalid_request_error", "invalid_value", "messages"));

        using (var refused = await Post(key))
        {
            await refused.AssertError(HttpStatusCode.BadRequest, "invalid_value");
        }

        var retried = await Retry(key);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("[DONE]", retried.Events[^1]);
    }

    [Fact]
    public async Task A_streamed_call_cut_mid_stream_frees_its_key_so_the_retry_runs()
    {
        var key = NewKey();
        _upstream.Enqueue(FakeResponse.CutMidStream(piecesBefore: 2));

        using (var cut = await Post(key))
        {
            Assert.DoesNotContain("[DONE]", await cut.ReadEvents());
        }

        var retried = await Retry(key);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("[DONE]", retried.Events[^1]);
    }

    /// <summary>The retry's status and events. Freeing a key is a one-way message, so the retry may overtake it and meet a 409 first.</summary>
    private Task<(HttpStatusCode StatusCode, List<string> Events)> Retry(string key) =>
        Eventually.Within(
            async () =>
            {
                using var response = await Post(key);
                return (response.StatusCode, Events: response.StatusCode == HttpStatusCode.OK ? await response.ReadEvents() : []);
            },
            answer => answer.StatusCode != HttpStatusCode.Conflict,
            TimeSpan.FromSeconds(5));

    private static string NewKey() => $"test-{Guid.NewGuid():N}";

    private Task<HttpResponseMessage> Post(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Api.Json(StreamedChat) };
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request);
    }
}
