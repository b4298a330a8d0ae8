using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>
/// SIGTERM: streams that finish within the drain time finish; the rest end with an error event and
/// keep their partial reply as incomplete. Either way the process then exits and the history is intact.
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private FakeOpenAiServer _upstream = null!;
    private string _data = null!;
    private Dictionary<string, string?> _environment = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeOpenAiServer.StartAsync();
        _data = RunningApiHost.NewDataDirectory();
        _environment = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_DATA_DIR"] = _data,
            ["CONVERSATIONS_ADMIN_KEY"] = TestKeys.Admin,
            ["CONVERSATIONS_API_KEY"] = TestKeys.DefaultUser,
            ["OPENAI_BASE_URL"] = _upstream.BaseUrl,
            ["OPENAI_API_KEY"] = TestKeys.Upstream,
            ["CONVERSATIONS_DRAIN_TIMEOUT"] = "00:00:03",
        };
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        RunningApiHost.TryDelete(_data);
    }

    [Fact]
    public async Task A_stream_that_finishes_within_the_drain_time_completes_after_sigterm()
    {
        string id;
        List<string> events;
        await using (var host = await ApiHostProcess.StartAsync(_environment, _data))
        {
            var client = host.Client();
            id = await client.CreateConversation();
            _upstream.Enqueue(FakeResponse.StreamOf("One two three four five", perChunk: TimeSpan.FromMilliseconds(200)));
            using var response = await client.StartStream(id, "Finish please");
            var body = await response.Content.ReadAsStreamAsync();
            events = await Api.ReadEventsUntil(body, read => read.Count >= 2);
            var stopping = host.TerminateAsync(TimeSpan.FromSeconds(60));
            events.AddRange(await Api.ReadEventsUntil(body, _ => false));
            await stopping;
        }

        Assert.Equal("[DONE]", events[^1]);
        await using var restarted = await ApiHostProcess.StartAsync(_environment, _data);
        var reply = (await restarted.Client().Items(id)).GetProperty("data")[1];
        Assert.Equal("completed", reply.GetProperty("status").GetString());
        Assert.Equal("One two three four five", reply.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_stream_still_running_when_the_drain_time_ends_is_ended_with_an_error_event_and_kept_as_incomplete()
    {
        string id;
        List<string> events;
        await using (var host = await ApiHostProcess.StartAsync(_environment, _data))
        {
            var client = host.Client();
            id = await client.CreateConversation();
            _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
            using var response = await client.StartStream(id, "Never ending");
            var body = await response.Content.ReadAsStreamAsync();
            events = await Api.ReadEventsUntil(body, read => read.Count >= 3);
            var stopping = host.TerminateAsync(TimeSpan.FromSeconds(60));
            events.AddRange(await Api.ReadEventsUntil(body, _ => false));
            await stopping;
        }

        Assert.Equal("server_shutting_down", JsonDocument.Parse(events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        await using var restarted = await ApiHostProcess.StartAsync(_environment, _data);
        var reply = (await restarted.Client().Items(id)).GetProperty("data")[1];
        Assert.Equal("incomplete", reply.GetProperty("status").GetString());
        Assert.Equal("One two", reply.GetProperty("content")[0].GetProperty("text").GetString());
    }
}
