using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.WebConsole;

/// <summary>
/// One real ApiHost over a fake upstream, and one headless Chromium driving it, shared by the console's
/// browser tests (starting a browser costs seconds; each test starts from a fresh, signed-out tab).
/// </summary>
public sealed class ConsoleHostFixture : IAsyncLifetime
{
    public FakeOpenAiServer Upstream { get; private set; } = null!;

    public RunningApiHost Host { get; private set; } = null!;

    public Browser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAiServer.StartAsync();
        Host = await RunningApiHost.StartAsync(Upstream);
        Browser = Browser.Start(Host.Address);
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        await Host.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHostFixture>
{
    public const string Name = "Web console in a browser";
}
