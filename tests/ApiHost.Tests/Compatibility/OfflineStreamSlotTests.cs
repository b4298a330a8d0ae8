using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>The offline model's streams count against a user's concurrent streams, like every other stream.</summary>
[Collection(CompatibilityCollection.Name)]
public sealed class OfflineStreamSlotTests(CompatibilityHost fixture) : IDisposable
{
    private const string OfflineStream = """{"model":"offline","stream":true,"messages":[{"role":"user","content":"What is the capital of France?"}]}""";

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly RunningApiHost _host = fixture.Host;

    public void Dispose() => _upstream.ClearScript();

    /// <summary>Regression: offline streams took no stream slot, so they escaped the limit.</summary>
    [Fact]
    public async Task With_one_concurrent_stream_an_offline_stream_waits_for_the_open_one()
    {
        using var admin = _host.Client(TestKeys.Admin);
        var user = await admin.NewUser("one-stream-offline", """{"concurrent_streams":1,"requests_per_minute":1000}""");
        using var client = _host.Client(user.Key);
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Api.Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Tell me a long story"}]}"""),
        };
        using (var open = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            await Api.ReadEventsUntil(await open.Content.ReadAsStreamAsync(), read => read.Count >= 3);

            using var refused = await client.PostChat(OfflineStream);
            var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.Contains("concurrent streams", error.GetProperty("message").GetString());
        }

        var answered = await Eventually.Within(
            async () =>
            {
                using var next = await client.PostChat(OfflineStream);
                return (next.StatusCode, Events: next.StatusCode == HttpStatusCode.OK ? await next.ReadEvents() : []);
            },
            answer => answer.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("[DONE]", answered.Events[^1]);
    }
}
