using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Resilience;

/// <summary>A host with short upstream timeouts, so every fault plays out in a few seconds.</summary>
public sealed class FaultyUpstreamFixture : IAsyncLifetime
{
    // Long enough that a busy CI machine never turns a slow first answer into a retry (which would take
    // the next scripted answer), short enough that the hang tests finish in seconds.
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(3);
    public const int MaxRetries = 2;

    public FakeOpenAiServer Upstream { get; private set; } = null!;

    public RunningApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAiServer.StartAsync();
        Host = await RunningApiHost.StartAsync(Upstream, new Dictionary<string, string?>
        {
            ["Upstream:AttemptTimeout"] = AttemptTimeout.ToString(),
            ["Upstream:TotalTimeout"] = "00:00:10",
            ["Upstream:StreamIdleTimeout"] = IdleTimeout.ToString(),
            ["Upstream:MaxRetries"] = MaxRetries.ToString(),
            ["Upstream:MaxRetryAfter"] = "00:00:02",
            // Faults in a row must not open the circuit for the tests that follow.
            ["Upstream:CircuitBreaker:MinimumThroughput"] = "1000",
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
