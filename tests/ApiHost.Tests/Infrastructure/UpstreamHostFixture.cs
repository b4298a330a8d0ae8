using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>One host talking to a fake OpenAI-compatible upstream, shared by a test class.</summary>
public sealed class UpstreamHostFixture : IAsyncLifetime
{
    public FakeOpenAiServer Upstream { get; private set; } = null!;

    public RunningApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAiServer.StartAsync();
        Host = await RunningApiHost.StartAsync(Upstream);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
