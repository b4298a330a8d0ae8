using System.ClientModel;
using System.Diagnostics;
using System.Net;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Polling;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>
/// Responses run in the background (<c>background: true</c>) through the official SDK: answered at once and
/// polled to the end, a stream the client leaves and resumes after the last event it saw, cancelled mid-way
/// (the upstream request stopped, the output so far kept), and a conversation held while one runs.
/// </summary>
[Collection(ResponsesCollection.Name)]
public sealed class BackgroundResponseTests(UpstreamHostFixture fixture) : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly ResponsesClient _responses = fixture.Host.Responses();
    private readonly ConversationClient _conversations = fixture.Host.Conversations();
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose()
    {
        _upstream.ClearScript();
        _client.Dispose();
    }

    [Fact]
    public async Task A_background_response_is_answered_at_once_and_polled_to_completion()
    {
        _upstream.Enqueue(FakeResponse.Trickle(TimeSpan.FromMilliseconds(30)));
        var options = InBackground("Say this runs on while nobody waits for it");

        ResponseResult created = await _responses.CreateResponseAsync(options);
        var done = await Eventually.Holds(
            async () => (ResponseResult)await _responses.GetResponseAsync(created.Id),
            response => response.Status == ResponseStatus.Completed,
            "the background response completing");

        Assert.Contains(created.Status, new ResponseStatus?[] { ResponseStatus.Queued, ResponseStatus.InProgress });
        Assert.Empty(created.OutputItems);
        Assert.True(created.BackgroundModeEnabled);
        Assert.Equal("This runs on while nobody waits for it", done.GetOutputText());
        Assert.True(done.BackgroundModeEnabled);
        Assert.Equal(created.CreatedAt, done.CreatedAt);
        Assert.True(done.Usage.OutputTokenCount > 0);
    }

    /// <summary>
    /// The client reads two deltas and leaves; the run goes on without it, and the SDK's resume
    /// (<c>GetResponseStreamingAsync</c> with <c>StartingAfter</c>) follows it live from the next event. What it
    /// saw and what it gets add up to the final text exactly, numbered 0, 1, 2, … with no gap and no repeat; once
    /// finished, the same resume told from the store gives the same events.
    /// </summary>
    [Fact]
    public async Task A_background_stream_the_client_leaves_runs_on_and_resumes_after_the_last_event_seen()
    {
        _upstream.Enqueue(FakeResponse.Trickle(TimeSpan.FromMilliseconds(40)));
        var options = InBackground("Say the client leaves and comes back for every single word");
        options.StreamingEnabled = true;

        var seen = new List<StreamingResponseUpdate>();
        await using (var stream = await _responses.CreateResponseStreamingAsync(options))
        {
            await foreach (var update in stream)
            {
                seen.Add(update);
                if (seen.OfType<StreamingResponseOutputTextDeltaUpdate>().Count() == 2)
                {
                    break;
                }
            }
        }

        var id = seen.OfType<StreamingResponseCreatedUpdate>().Single().Response.Id;
        var resumed = await _responses.StreamAgain(id, startingAfter: seen[^1].SequenceNumber);
        var all = seen.Concat(resumed).ToList();
        var final = Sdk.Completed(resumed);
        var toldAgain = await _responses.StreamAgain(id, startingAfter: seen[^1].SequenceNumber);

        Assert.Equal("The client leaves and comes back for every single word", final.GetOutputText());
        Assert.Equal(final.GetOutputText(), Sdk.TextOf(all));
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(update => update.SequenceNumber));
        Assert.Equal(resumed.Select(u => (u.GetType(), u.SequenceNumber)), toldAgain.Select(u => (u.GetType(), u.SequenceNumber)));
        Assert.Equal(Sdk.TextOf(resumed), Sdk.TextOf(toldAgain));
    }

    /// <summary>
    /// The upstream sends four pieces and then holds the rest: a resume after the second delta gets the other two
    /// live (nothing had finished to replay), then waits with the run; cancelling it ends every follower's stream
    /// with <c>response.incomplete</c>, the response saying <c>cancelled</c>.
    /// </summary>
    [Fact]
    public async Task A_resumed_stream_follows_the_run_live_and_ends_when_it_is_cancelled()
    {
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 4));
        var options = InBackground("Tell me a story that stops half way");
        options.StreamingEnabled = true;
        var seen = new List<StreamingResponseUpdate>();
        await using (var stream = await _responses.CreateResponseStreamingAsync(options))
        {
            await foreach (var update in stream)
            {
                seen.Add(update);
                if (seen.OfType<StreamingResponseOutputTextDeltaUpdate>().Count() == 2)
                {
                    break;
                }
            }
        }

        var id = seen.OfType<StreamingResponseCreatedUpdate>().Single().Response.Id;
        var resumed = new List<StreamingResponseUpdate>();
        await using (var stream = await _responses.GetResponseStreamingAsync(new GetResponseOptions(id) { StreamingEnabled = true, StartingAfter = seen[^1].SequenceNumber }))
        {
            await foreach (var update in stream)
            {
                resumed.Add(update);
                if (update is StreamingResponseOutputTextDeltaUpdate && resumed.OfType<StreamingResponseOutputTextDeltaUpdate>().Count() == 2)
                {
                    ResponseResult running = await _responses.GetResponseAsync(id);
                    Assert.Equal(ResponseStatus.InProgress, running.Status);
                    await _responses.CancelResponseAsync(id);
                }
            }
        }

        var all = seen.Concat(resumed).ToList();
        var ended = Assert.IsType<StreamingResponseIncompleteUpdate>(all[^1]).Response;
        Assert.Equal(ResponseStatus.Cancelled, ended.Status);
        Assert.Equal("One two three four", ended.GetOutputText());
        Assert.Equal(ended.GetOutputText(), Sdk.TextOf(all));
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(update => update.SequenceNumber));
    }

    [Fact]
    public async Task Cancel_stops_the_upstream_within_a_second_and_keeps_the_output_so_far_as_cancelled()
    {
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var upstreamRequest = _upstream.Requests.Count + 1;
        ResponseResult created = await _responses.CreateResponseAsync(InBackground("Tell me a story that never ends"));
        var partial = await Eventually.Holds(
            async () => (ResponseResult)await _responses.GetResponseAsync(created.Id),
            response => response.GetOutputText() == "One two",
            "the output so far being shown");

        var clock = Stopwatch.StartNew();
        ResponseResult cancelled = await _responses.CancelResponseAsync(created.Id);
        var aborted = await _upstream.WaitForAbortAsync(upstreamRequest, TimeSpan.FromSeconds(1) - clock.Elapsed);
        ResponseResult retrieved = await _responses.GetResponseAsync(created.Id);
        ResponseResult cancelledAgain = await _responses.CancelResponseAsync(created.Id);

        Assert.Equal(ResponseStatus.InProgress, partial.Status);
        Assert.True(aborted, "the upstream request was not stopped within a second of the cancel");
        Assert.Equal(ResponseStatus.Cancelled, cancelled.Status);
        Assert.Equal("One two", cancelled.GetOutputText());
        Assert.Equal(ResponseStatus.Cancelled, retrieved.Status);
        Assert.Equal("One two", retrieved.GetOutputText());
        Assert.Equal(ResponseStatus.Cancelled, cancelledAgain.Status);
        Assert.Equal(cancelled.OutputItems.Select(i => i.Id), cancelledAgain.OutputItems.Select(i => i.Id));
    }

    [Fact]
    public async Task Cancelling_a_finished_background_response_returns_it_unchanged()
    {
        ResponseResult created = await _responses.CreateResponseAsync(InBackground("Say finished already"));
        var done = await Eventually.Holds(
            async () => (ResponseResult)await _responses.GetResponseAsync(created.Id),
            response => response.Status == ResponseStatus.Completed,
            "the background response completing");

        ResponseResult cancelled = await _responses.CancelResponseAsync(created.Id);

        Assert.Equal(ResponseStatus.Completed, cancelled.Status);
        Assert.Equal("Finished already", cancelled.GetOutputText());
        Assert.Equal(done.OutputItems.Select(i => i.Id), cancelled.OutputItems.Select(i => i.Id));
    }

    [Fact]
    public async Task Cancelling_a_response_not_created_in_the_background_is_a_400()
    {
        ResponseResult created = await _responses.CreateResponseAsync(Model, "Say not in the background");

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => _responses.CancelResponseAsync(created.Id));

        Assert.Equal(400, refused.Status);
        Assert.Contains("not_cancellable", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, ((ResponseResult)await _responses.GetResponseAsync(created.Id)).Status);
    }

    /// <summary>Raw HTTP, since the SDKs retry a 409 on their own.</summary>
    [Fact]
    public async Task A_background_turn_holds_its_conversation_until_it_is_cancelled_and_its_partial_reply_is_kept()
    {
        var conversation = await _conversations.NewConversation();
        _upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        var started = await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Tell me a long story","conversation":"{{conversation}}","background":true}""");
        var id = started.GetProperty("id").GetString()!;
        await Eventually.Holds(
            async () => (ResponseResult)await _responses.GetResponseAsync(id),
            response => response.GetOutputText() == "One two",
            "the background turn's output so far being shown");

        using (var busy = await _client.PostResponse($$"""{"model":"gpt-4o-mini","input":"Are you there?","conversation":"{{conversation}}"}"""))
        {
            await busy.AssertError(HttpStatusCode.Conflict, "conversation_busy");
        }

        using var cancel = await _client.PostAsync($"/v1/responses/{id}/cancel", null);
        var cancelled = await cancel.ReadJson();
        var next = await _client.CreateResponse($$"""{"model":"gpt-4o-mini","input":"Say next","conversation":"{{conversation}}"}""");
        var (items, _) = await _conversations.AllItems(conversation);

        Assert.Equal("in_progress", started.GetProperty("status").GetString());
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(conversation, cancelled.GetProperty("conversation").GetProperty("id").GetString());
        Assert.Equal("completed", next.GetProperty("status").GetString());
        Assert.Equal(["user: Tell me a long story", "assistant: One two", "user: Say next", "assistant: Next"], items.Select(Sdk.Describe));
    }

    private static CreateResponseOptions InBackground(string text)
    {
        var options = Sdk.Ask(Model, text);
        options.BackgroundModeEnabled = true;
        return options;
    }
}
