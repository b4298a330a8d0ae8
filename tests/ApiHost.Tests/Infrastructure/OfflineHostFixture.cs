namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>One embedded-default host (offline model, SQLite) shared by a test class.</summary>
public sealed class OfflineHostFixture : IAsyncLifetime
{
    public RunningApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await RunningApiHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
