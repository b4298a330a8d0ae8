using Conversations.Silo.Tests.Infrastructure;

namespace Conversations.Silo.Tests.Failover;

/// <summary>Two API hosts, no balancer: whichever host a request reaches, the conversation is the same one.</summary>
[Collection(nameof(ClusterTests))]
public sealed class TwoApiHostsTests : IAsyncLifetime
{
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ScaledOutCluster.StartAsync(silos: 2, apiHosts: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Turns_alternating_between_two_hosts_build_one_consistent_history()
    {
        var first = _cluster.ApiHosts[0].Client();
        var second = _cluster.ApiHosts[1].Client();
        var id = await first.CreateConversation();

        for (var i = 0; i < 4; i++)
        {
            await (i % 2 == 0 ? first : second).Turn(id, $"Say turn {i}");
        }

        var expected = Enumerable.Range(0, 4).SelectMany(i => new[] { $"Say turn {i}", $"Turn {i}" }).ToList();
        Assert.Equal(expected, (await first.History(id)).Select(m => m.Text));
        Assert.Equal(expected, (await second.History(id)).Select(m => m.Text));

        // A turn busy on one host is busy on the other too: one grain holds the conversation.
        _cluster.Upstream.Enqueue(Testing.FakeUpstream.FakeResponse.StallMidStream(piecesBefore: 1));
        using var stream = await first.StartStream(id, "Long one");
        var body = await stream.Content.ReadAsStreamAsync();
        await foreach (var _ in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync())
        {
            break;
        }

        using var busy = await second.Send(id, "Meanwhile");
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
    }
}
