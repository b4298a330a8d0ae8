using Conversations.Hosting.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conversations.ApiHost.Health;

/// <summary>An API host in client mode is connected to at least one silo's gateway: without one, every grain call fails.</summary>
public sealed class GatewayHealthCheck(GatewayConnections gateways) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(gateways.Connected > 0
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "No gateway of the cluster is connected."));
}
