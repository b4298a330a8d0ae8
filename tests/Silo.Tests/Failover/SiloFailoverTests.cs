using Conversations.Silo.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Silo.Tests.Failover;

/// <summary>
/// Two silo processes, Redis membership, PostgreSQL data, API hosts as Orleans clients: a silo dying
/// (SIGKILL) or stopping (SIGTERM) under load loses no acknowledged message and leaves no half-written one.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class SiloFailoverTests : IAsyncLifetime
{
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ScaledOutCluster.StartAsync(silos: 2, apiHosts: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Killing_the_silo_that_hosts_a_conversation_loses_nothing_and_it_answers_again_within_ten_seconds()
    {
        var client = _cluster.ApiHosts[0].Client();
        var conversations = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var id = await client.CreateConversation();
            await client.Turn(id, $"Say first {i}");
            await client.Turn(id, $"Say second {i}");
            conversations.Add(id);
        }

        var victim = conversations[0];
        var doomed = await _cluster.SiloHostingAsync(victim);
        Assert.NotNull(doomed);
        await doomed.Process.KillAsync();

        var crashed = TimeProvider.System.GetTimestamp();
        var answered = await Eventually.Within(() => client.TurnSucceeds(victim, "Say after the crash"), ok => ok, TimeSpan.FromSeconds(10));
        var took = TimeProvider.System.GetElapsedTime(crashed);
        Assert.True(answered, $"the conversation did not answer within 10 s of the crash ({took})");

        var survivor = await _cluster.SiloHostingAsync(victim);
        Assert.NotNull(survivor);
        Assert.NotEqual(doomed.SiloPort, survivor.SiloPort);
        Assert.Equal(
            ["Say first 0", "First 0", "Say second 0", "Second 0", "Say after the crash", "After the crash"],
            (await client.History(victim)).Select(m => m.Text));

        // Every acknowledged message of every conversation is there, once, in order.
        for (var i = 1; i < conversations.Count; i++)
        {
            Assert.Equal(
                [$"Say first {i}", $"First {i}", $"Say second {i}", $"Second {i}"],
                (await client.History(conversations[i])).Select(m => m.Text));
        }
    }

    [Fact]
    public async Task A_turn_in_flight_on_a_silo_that_dies_fails_clearly_and_leaves_nothing_half_written()
    {
        var client = _cluster.ApiHosts[0].Client();
        var id = await client.CreateConversation();
        await client.Turn(id, "Say before");
        var host = await _cluster.SiloHostingAsync(id);
        Assert.NotNull(host);

        _cluster.Upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        using var stream = await client.StartStream(id, "A story that never ends");
        var body = await stream.Content.ReadAsStreamAsync();
        var seen = new List<string>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync())
        {
            seen.Add(item.Data);
            if (seen.Count == 3)
            {
                await host.Process.KillAsync();
            }

            if (item.Data.Contains("\"error\"", StringComparison.Ordinal))
            {
                break;
            }
        }

        var error = JsonDocument.Parse(seen[^1]).RootElement.GetProperty("error");
        Assert.Equal("service_unavailable", error.GetProperty("code").GetString());
        Assert.DoesNotContain("[DONE]", seen);

        // The dead silo wrote nothing of the turn; the conversation moves on with the history it acknowledged.
        Assert.True(await Eventually.Within(() => client.TurnSucceeds(id, "Say after"), ok => ok, TimeSpan.FromSeconds(10)), "the conversation did not answer within 10 s of the crash");
        Assert.Equal(["Say before", "Before", "Say after", "After"], (await client.History(id)).Select(m => m.Text));
    }

    [Fact]
    public async Task Stopping_a_silo_gracefully_during_a_stream_ends_the_stream_cleanly_with_the_reply_kept()
    {
        var client = _cluster.ApiHosts[0].Client();
        var id = await client.CreateConversation();
        var host = await _cluster.SiloHostingAsync(id) ?? await ActivateAndFind(client, id);

        _cluster.Upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        using var stream = await client.StartStream(id, "Keep talking");
        var body = await stream.Content.ReadAsStreamAsync();
        var seen = new List<string>();
        Task? stopping = null;
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync())
        {
            seen.Add(item.Data);
            if (seen.Count == 3)
            {
                stopping = host.Process.TerminateAsync(TimeSpan.FromSeconds(30));
            }
        }

        Assert.NotNull(stopping);
        await stopping;
        // The stream ended with an answer, not a cut connection: [DONE] or an error event.
        Assert.True(seen[^1] == "[DONE]" || seen[^1].Contains("\"error\"", StringComparison.Ordinal), $"the stream ended with: {seen[^1]}");

        var history = await client.History(id);
        Assert.Equal(("user", "completed", "Keep talking"), history[0]);
        Assert.Equal("assistant", history[1].Role);
        Assert.Contains(history[1].Status, new[] { "completed", "incomplete" });
        Assert.Equal("One two", history[1].Text);
        Assert.Equal(2, history.Count);
    }

    private async Task<SiloNode> ActivateAndFind(HttpClient client, string id)
    {
        await client.GetAsync($"/v1/conversations/{id}");
        return (await _cluster.SiloHostingAsync(id))!;
    }
}
