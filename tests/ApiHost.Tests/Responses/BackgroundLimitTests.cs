using System.Net;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Polling;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// A user's responses running in the background are capped (<c>Limits__BackgroundResponses</c>, here 1), and
/// each counts as one of their concurrent streams (<c>Limits__ConcurrentStreams</c>, here 2): over either, a
/// 429 in OpenAI's envelope, and a place frees as soon as a run ends. Raw HTTP, since the SDKs retry a 429.
/// </summary>
public sealed class BackgroundLimitTests : IAsyncLifetime
{
    private FakeOpenAiServer _upstream = null!;
    private RunningApiHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeOpenAiServer.StartAsync();
        _host = await RunningApiHost.StartAsync(_upstream, new Dictionary<string, string?>
        {
            ["Limits:BackgroundResponses"] = "1",
            ["Limits:ConcurrentStreams"] = "2",
        });
        _client = _host.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task A_second_background_response_over_the_cap_is_a_429_until_the_first_ends()
    {
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 1));
        var requestsBefore = _upstream.ChatRequests.Count + 1;
        var first = await _client.CreateResponse("""{"model":"gpt-4o-mini","input":"Tell me a long story","background":true}""");
        await Eventually.Holds(() => Task.FromResult(_upstream.ChatRequests.Count), count => count == requestsBefore, "the first response calling the upstream");

        using (var refused = await _client.PostResponse("""{"model":"gpt-4o-mini","input":"Say another","background":true,"stream":true}"""))
        {
            var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.Equal("background_responses", error.GetProperty("type").GetString());
            Assert.True(refused.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero, "a 429 says when to retry");
        }

        Assert.Equal(requestsBefore, _upstream.ChatRequests.Count);
        using (await _client.PostAsync($"/v1/responses/{first.GetProperty("id").GetString()}/cancel", null))
        {
        }

        // The place is given back as the run ends, a message of its own: the next may take a moment to see it free.
        using var accepted = await Eventually.Holds(
            () => _client.PostResponse("""{"model":"gpt-4o-mini","input":"Say another","background":true}"""),
            response => response.StatusCode == HttpStatusCode.OK,
            "the next background response being accepted");
        var next = await accepted.ReadJson();
        var done = await Eventually.Holds(
            async () => await (await _client.GetAsync($"/v1/responses/{next.GetProperty("id").GetString()}")).ReadJson(),
            response => response.GetProperty("status").GetString() == "completed",
            "the next background response completing");
        Assert.Equal("Another", ResponsesHttp.Text(done.GetProperty("output")[0]));
    }

    [Fact]
    public async Task A_background_response_holds_one_of_the_users_streams_while_it_runs()
    {
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 1), FakeResponse.StallMidStream(piecesBefore: 1));
        var background = await _client.CreateResponse("""{"model":"gpt-4o-mini","input":"Tell me a long story","background":true}""");
        using var streamed = await _client.PostResponse("""{"model":"gpt-4o-mini","input":"Tell me another","stream":true}""");
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);

        using (var refused = await _client.PostResponse("""{"model":"gpt-4o-mini","input":"And a third","stream":true}"""))
        {
            var error = await refused.AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.Equal("streams", error.GetProperty("type").GetString());
        }

        using (await _client.PostAsync($"/v1/responses/{background.GetProperty("id").GetString()}/cancel", null))
        {
        }

        using var freed = await Eventually.Holds(
            () => _client.PostResponse("""{"model":"gpt-4o-mini","input":"Say a third","stream":true}"""),
            response => response.StatusCode == HttpStatusCode.OK,
            "a stream being accepted once the background response ended");
    }
}
