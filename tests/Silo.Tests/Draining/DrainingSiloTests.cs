using Conversations.Silo.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Silo.Tests.Draining;

/// <summary>
/// A silo draining on SIGTERM refuses new turns with 503 and hands the conversation over, so the
/// retry an SDK makes (after its own short backoff) finds it on another silo.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class DrainingSiloTests : IAsyncLifetime
{
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ScaledOutCluster.StartAsync(silos: 2, apiHosts: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_turn_refused_by_a_draining_silo_succeeds_on_the_sdks_retries()
    {
        var client = _cluster.ApiHosts[0].Client();
        // Two conversations on the same silo: one keeps the drain busy, the other is the one a client talks to.
        var byHost = new Dictionary<int, List<string>>();
        string busy = "", idle = "";
        SiloNode? host = null;
        for (var i = 0; i < 20 && host is null; i++)
        {
            var id = await client.CreateConversation();
            await client.Turn(id, $"Say hi {i}");
            var node = (await _cluster.SiloHostingAsync(id))!;
            var list = byHost.TryGetValue(node.SiloPort, out var l) ? l : byHost[node.SiloPort] = [];
            list.Add(id);
            if (list.Count == 2)
            {
                (busy, idle, host) = (list[0], list[1], node);
            }
        }

        Assert.NotNull(host);
        _cluster.Upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));
        using var stream = await client.StartStream(busy, "Keep the drain busy");
        var stopping = host.Process.TerminateAsync(TimeSpan.FromSeconds(30));

        // The first 503 shows the silo is draining; then the SDKs' two retries (0.5 s and 1 s backoff).
        var statuses = new List<HttpStatusCode>();
        var first = await Eventually.Within(
            async () => { using var response = await client.Send(idle, "Say after the stop"); return response.StatusCode; },
            status => status != HttpStatusCode.OK,
            TimeSpan.FromSeconds(4));
        statuses.Add(first);
        foreach (var backoff in new[] { TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1) })
        {
            await Task.Delay(backoff); // the SDK's own backoff, not a synchronisation point
            using var response = await client.Send(idle, "Say after the stop");
            statuses.Add(response.StatusCode);
        }

        await stopping;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, statuses[0]);
        Assert.Contains(HttpStatusCode.OK, statuses.Skip(1));
    }
}
