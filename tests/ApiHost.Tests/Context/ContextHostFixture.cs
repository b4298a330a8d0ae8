using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Context;

/// <summary>
/// A host whose model has a small context window (<see cref="Window"/> tokens, configured as
/// <c>Context:Windows:small-model</c>), in front of a fake upstream that enforces the same window as OpenAI does.
/// </summary>
public sealed class ContextHostFixture : IAsyncLifetime
{
    public const string Model = "small-model";
    public const long Window = 2000;

    public FakeOpenAiServer Upstream { get; private set; } = null!;

    public RunningApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAiServer.StartAsync();
        Upstream.ContextWindow = Window;
        Host = await RunningApiHost.StartAsync(Upstream, new Dictionary<string, string?> { [$"Context:Windows:{Model}"] = $"{Window}" });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
