using Conversations.ApiHost.Tests.Compatibility;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Microsoft.AspNetCore.Http;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>
/// The stateless route reads a single-shot answer whole before relaying it: an upstream that sends its
/// headers and then stalls or cuts the body must end in a clear error, and an answer without a length
/// must still come back byte for byte.
/// </summary>
public sealed class StatelessAnswerReadTests(FaultyUpstreamFixture fixture) : IClassFixture<FaultyUpstreamFixture>, IDisposable
{
    private const string Ask = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";

    private static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-Read0001","object":"chat.completion","created":1756890217,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Read whole."},"finish_reason":"stop"}],"usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11}}""");

    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose()
    {
        _upstream.ClearScript();
        _client.Dispose();
    }

    [Fact]
    public async Task An_answer_whose_body_stalls_past_the_idle_timeout_is_a_504_and_the_upstream_call_is_abandoned()
    {
        var before = _upstream.ChatRequests.Count;
        _upstream.Enqueue(FakeResponse.Handle(async (context, _) =>
        {
            StartJson(context, Completion.Length);
            await context.Response.Body.WriteAsync(Completion.AsMemory(0, 20), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }));

        using var response = await _client.PostChat(Ask);

        var error = await response.AssertError(HttpStatusCode.GatewayTimeout, "upstream_timeout");
        Assert.Contains("nothing for", error.GetProperty("message").GetString());
        var call = Assert.Single(_upstream.ChatRequests.Skip(before));
        await call.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_answer_cut_before_its_announced_length_is_a_502()
    {
        _upstream.Enqueue(FakeResponse.Handle(async (context, _) =>
        {
            StartJson(context, Completion.Length);
            await context.Response.Body.WriteAsync(Completion.AsMemory(0, 20), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await FakeOpenAiServer.CutAsync(context, context.RequestAborted);
        }));

        using var response = await _client.PostChat(Ask);

        await response.AssertError(HttpStatusCode.BadGateway, "upstream_unreachable");
    }

    [Fact]
    public async Task An_answer_sent_in_chunks_without_a_length_comes_back_byte_for_byte()
    {
        _upstream.Enqueue(FakeResponse.Handle(async (context, _) =>
        {
            StartJson(context, length: null);
            for (var offset = 0; offset < Completion.Length; offset += 37)
            {
                await context.Response.Body.WriteAsync(Completion.AsMemory(offset, Math.Min(37, Completion.Length - offset)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }));

        using var response = await _client.PostChat(Ask);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Completion, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_answer_framed_by_chunks_comes_back_whole_even_beside_a_contradicting_length()
    {
        // Chunked framing wins over Content-Length (RFC 9112); a proxy that leaves a stale length
        // beside it must not get the answer cut to that length.
        var chunked = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + $"{Completion.Length:x}\r\n{Encoding.UTF8.GetString(Completion)}\r\n0\r\n\r\n";
        await using var upstream = RawHttpUpstream.Answering(chunked);
        await using var host = await RunningApiHost.StartAsync(overrides: new Dictionary<string, string?>
        {
            ["OPENAI_BASE_URL"] = upstream.BaseUrl,
            ["OPENAI_API_KEY"] = TestKeys.Upstream,
        });
        using var client = host.Client();

        using var response = await client.PostChat(Ask);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Completion, await response.Content.ReadAsByteArrayAsync());
    }

    private static void StartJson(HttpContext context, int? length)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = length;
    }
}
