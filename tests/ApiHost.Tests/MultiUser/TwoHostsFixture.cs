using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Two front doors on one cluster: host A co-hosts the silo, host B is an Orleans client of it; both
/// talk to the same fake upstream.
/// </summary>
public sealed class TwoHostsFixture : IAsyncLifetime
{
    public FakeOpenAiServer Upstream { get; private set; } = null!;

    public RunningApiHost A { get; private set; } = null!;

    public RunningApiHost B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAiServer.StartAsync();
        A = await RunningApiHost.StartAsync(Upstream);
        B = await ClientModeHost.StartClientOf(A, Upstream);
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
