using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Conversations.ApiHost.Health;

/// <summary>The co-hosted silo is an active member of the cluster (not still joining, nor stopping).</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, $"The silo is {silo.CurrentStatus}."));
}
