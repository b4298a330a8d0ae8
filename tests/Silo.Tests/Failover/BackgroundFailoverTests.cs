using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using Conversations.Silo.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Silo.Tests.Failover;

/// <summary>
/// A response run in the background lives in a grain, not in the API host that started it: the host that served
/// its stream dies (SIGKILL) and the client resumes on the other host with every event exactly once; the silo
/// running it dies (SIGKILL) and the response ends failed instead of staying in progress, and its conversation
/// takes the next turn; the silo running it drains (SIGTERM) and lets it finish first.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class BackgroundFailoverTests : IAsyncLifetime
{
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ScaledOutCluster.StartAsync(silos: 2, apiHosts: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_api_host_serving_a_background_stream_is_killed_and_the_client_resumes_on_the_other_host()
    {
        var first = _cluster.ApiHosts[0].Client();
        var second = _cluster.ApiHosts[1].Client();
        var conversation = await first.CreateConversation();
        _cluster.Upstream.Enqueue(FakeResponse.Trickle(TimeSpan.FromMilliseconds(250)));

        var seen = new List<(int Sequence, string Type, JsonElement Json)>();
        using (var started = await Post(first, $$"""{"input":"Say every word arrives once whichever host tells it","conversation":"{{conversation}}","background":true,"stream":true}"""))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            await foreach (var item in SseParser.Create(await started.Content.ReadAsStreamAsync()).EnumerateAsync())
            {
                seen.Add(Read(item));
                if (seen.Count(e => e.Type == "response.output_text.delta") == 2)
                {
                    break;
                }
            }

            await _cluster.ApiHosts[0].Process.KillAsync();
        }

        var id = seen[0].Json.GetProperty("response").GetProperty("id").GetString()!;
        using var resumed = await second.GetAsync($"/v1/responses/{id}?stream=true&starting_after={seen[^1].Sequence}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        await foreach (var item in SseParser.Create(await resumed.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            seen.Add(Read(item));
        }

        Assert.Equal(Enumerable.Range(0, seen.Count), seen.Select(e => e.Sequence));
        Assert.Equal("response.completed", seen[^1].Type);
        var text = string.Concat(seen.Where(e => e.Type == "response.output_text.delta").Select(e => e.Json.GetProperty("delta").GetString()));
        Assert.Equal("Every word arrives once whichever host tells it", text);
        Assert.Equal(text, seen[^1].Json.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(
            ["Say every word arrives once whichever host tells it", "Every word arrives once whichever host tells it"],
            (await second.History(conversation)).Select(m => m.Text));
    }

    [Fact]
    public async Task The_silo_running_a_background_response_is_killed_and_it_ends_failed_and_its_conversation_takes_the_next_turn()
    {
        var client = _cluster.ApiHosts[0].Client();
        var conversation = await client.CreateConversation();
        _cluster.Upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        using var created = await client.PostAsync("/v1/responses", Http.Json($$"""{"input":"Tell me a story","conversation":"{{conversation}}","background":true}"""));
        var id = (await created.ReadJson()).GetProperty("id").GetString()!;
        await Eventually.Holds(() => Status(client, id), status => status == "in_progress", "the background response running");
        var doomed = await _cluster.SiloHostingAsync(conversation);
        Assert.NotNull(doomed);

        await doomed.Process.KillAsync();
        var crashed = TimeProvider.System.GetTimestamp();
        var ended = await Eventually.Holds(() => Status(client, id), status => status is "failed" or "incomplete", "the background response ending", TimeSpan.FromSeconds(20));
        var endedAfter = TimeProvider.System.GetElapsedTime(crashed);
        var answered = await Eventually.Within(() => client.TurnSucceeds(conversation, "Say after the crash"), ok => ok, TimeSpan.FromSeconds(10));

        Assert.Equal("failed", ended);
        Assert.True(answered, $"the conversation took no turn within 10 s of the response ending ({endedAfter} after the crash)");
        Assert.Equal("failed", await Status(client, id));
        Assert.Equal(["Say after the crash", "After the crash"], (await client.History(conversation)).Select(m => m.Text));
    }

    [Fact]
    public async Task A_draining_silo_lets_its_background_response_finish_before_it_stops()
    {
        var client = _cluster.ApiHosts[0].Client();
        var conversation = await client.CreateConversation();
        var draining = await _cluster.SiloHostingAsync(conversation);
        Assert.NotNull(draining);
        _cluster.Upstream.Enqueue(FakeResponse.Trickle(TimeSpan.FromMilliseconds(200)));
        using var created = await client.PostAsync("/v1/responses", Http.Json($$"""{"input":"Say the drain waits for this whole answer","conversation":"{{conversation}}","background":true}"""));
        var id = (await created.ReadJson()).GetProperty("id").GetString()!;
        await Eventually.Holds(() => Text(client, id), text => text.Length > 0, "the background response under way");

        var stopping = TimeProvider.System.GetTimestamp();
        await draining.Process.TerminateAsync(TimeSpan.FromSeconds(30));
        var stopped = TimeProvider.System.GetElapsedTime(stopping);
        var (status, text) = await Eventually.Holds(
            async () => (await Status(client, id), await Text(client, id)),
            read => read.Item1 is "completed" or "incomplete" or "failed" or "cancelled",
            "the response being read after the drain");

        Assert.Equal(("completed", "The drain waits for this whole answer"), (status, text));
        Assert.True(stopped < TimeSpan.FromSeconds(30), $"the silo took {stopped} to stop, its whole drain time");
        Assert.True(await Eventually.Within(() => client.TurnSucceeds(conversation, "Say after the drain"), ok => ok, TimeSpan.FromSeconds(10)));
    }

    /// <summary>The response's output text so far; empty when it has none or cannot be read now.</summary>
    private static async Task<string> Text(HttpClient client, string id)
    {
        try
        {
            using var response = await client.GetAsync($"/v1/responses/{id}");
            var json = await response.ReadJson();
            return response.StatusCode == HttpStatusCode.OK && json.GetProperty("output") is { } output && output.GetArrayLength() > 0
                ? output[0].GetProperty("content")[0].GetProperty("text").GetString()!
                : "";
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    /// <summary>The response's status now; <c>unavailable</c> while the cluster has not yet noticed the dead silo.</summary>
    private static async Task<string> Status(HttpClient client, string id)
    {
        try
        {
            using var response = await client.GetAsync($"/v1/responses/{id}");
            return response.StatusCode == HttpStatusCode.OK ? (await response.ReadJson()).GetProperty("status").GetString()! : $"unavailable {(int)response.StatusCode}";
        }
        catch (HttpRequestException)
        {
            return "unavailable";
        }
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = Http.Json(json) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static (int Sequence, string Type, JsonElement Json) Read(SseItem<string> item)
    {
        var json = JsonDocument.Parse(item.Data).RootElement;
        return (json.GetProperty("sequence_number").GetInt32(), json.GetProperty("type").GetString()!, json);
    }
}
