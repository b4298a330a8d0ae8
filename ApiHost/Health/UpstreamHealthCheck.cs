using Conversations.Abstractions.Upstream;
using Conversations.Upstream;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Health;

/// <summary>
/// Whether the upstream model answers: its model list, as <c>GET /v1/models</c> reads it (reused for
/// <c>Upstream__ModelsCacheDuration</c> once it answered, so a probe seldom reaches the upstream). A probe may
/// take longer than an orchestrator waits for readiness, so a check waits for it only briefly: a probe still
/// running then goes on in the background, reports not reachable this time, and the next check joins it.
/// Registered with a failure status of Degraded, never Unhealthy.
/// </summary>
public sealed class UpstreamHealthCheck(IChatUpstream upstream, IOptions<UpstreamOptions> options) : IHealthCheck
{
    /// <summary>Under the one second orchestrators commonly give a readiness probe.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(500);

    /// <summary>However the upstream's own timeouts are set, a probe ends within this.</summary>
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private Task<bool>? _probe;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.IsConfigured)
        {
            return HealthCheckResult.Healthy("Only the built-in offline model answers; there is nothing to reach.");
        }

        Task<bool> probe;
        lock (_lock)
        {
            probe = _probe is { IsCompleted: false } running ? running : _probe = Task.Run(Probe);
        }

        try
        {
            return await probe.WaitAsync(Wait, cancellationToken)
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, "The upstream did not list its models.");
        }
        catch (TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The upstream has not answered yet.");
        }
    }

    private async Task<bool> Probe()
    {
        // Not the check's token: the probe outlives a check that stopped waiting for it.
        using var limit = new CancellationTokenSource(ProbeLimit);
        try
        {
            return (await upstream.ListModelsAsync(limit.Token)).IsT0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
