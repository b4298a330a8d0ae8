using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>
/// One host for the compatibility tests, talking to a fake OpenAI upstream that also lists a vLLM-style
/// model id with a slash; the alias <c>fast</c> stands for <c>gpt-4o-mini</c>, and the offline model is
/// switched on beside the upstream.
/// </summary>
public sealed class CompatibilityHost : IAsyncLifetime
{
    public const string Alias = "fast";
    public const string AliasTarget = "gpt-4o-mini";
    public const string SlashModel = "meta-llama/Llama-3-8B";

    /// <summary>The longest wait the service sits out for a 429; the tests' rate limits ask for more.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(2);

    public FakeOpenAiServer Upstream { get; private set; } = null!;

    public RunningApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAiServer.StartAsync();
        Upstream.Models = ["gpt-4o-mini", "gpt-4o", SlashModel];
        Host = await RunningApiHost.StartAsync(Upstream, new Dictionary<string, string?>
        {
            [$"Models:Aliases:{Alias}"] = AliasTarget,
            ["CONVERSATIONS_OFFLINE_MODEL"] = "true",
            ["Upstream:MaxRetryAfter"] = MaxRetryAfter.ToString(),
            // The deliberate 500s of one test must not open the circuit for the tests after it.
            ["Upstream:CircuitBreaker:MinimumThroughput"] = "1000",
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
