using Conversations.Hosting.Cluster;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conversations.ApiHost.Health;

/// <summary>
/// <c>GET /health/live</c> (the process answers) and <c>GET /health/ready</c> (what serving a request needs:
/// the store, the cluster, Redis when it holds the membership; and the upstream, whose failure only degrades
/// readiness, since conversations can still be read and managed without it). No key is needed: load
/// balancers and orchestrators call them, and they show names and statuses only.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    private const string Live = "live";
    private const string Ready = "ready";

    /// <summary>Long enough for a store or Redis on another machine; a check that takes longer counts as failed.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <param name="hostsSilo">True when this process co-hosts a silo; false for an Orleans client of the cluster.</param>
    public static IServiceCollection AddConversationsHealthChecks(this IServiceCollection services, IConfiguration configuration, bool hostsSilo)
    {
        var cluster = ClusterSettings.From(configuration);
        var checks = services.AddHealthChecks()
            .AddCheck("process", static () => HealthCheckResult.Healthy(), tags: [Live]);

        if (cluster.Postgres is { } postgres)
        {
            checks.AddNpgSql(postgres, name: "store", tags: [Ready], timeout: CheckTimeout);
        }
        else if (hostsSilo)
        {
            // An API host in client mode cannot see the silos' SQLite file; it has no store check of its own.
            services.AddSingleton(new SqliteHealthCheck(cluster.SqlitePath));
            checks.AddCheck<SqliteHealthCheck>("store", tags: [Ready], timeout: CheckTimeout);
        }

        if (hostsSilo)
        {
            checks.AddCheck<SiloHealthCheck>("cluster", tags: [Ready]);
        }
        else
        {
            checks.AddCheck<GatewayHealthCheck>("cluster", tags: [Ready]);
        }

        if (cluster.Redis is { } redis)
        {
            checks.AddRedis(redis, name: "redis", tags: [Ready], timeout: CheckTimeout);
        }

        // One instance, so a probe still running in the background is joined by the next check, not repeated.
        services.AddSingleton<UpstreamHealthCheck>();
        checks.AddCheck<UpstreamHealthCheck>("upstream", failureStatus: HealthStatus.Degraded, tags: [Ready]);
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, Options(Live));
        app.MapHealthChecks(ReadyPath, Options(Ready));
        return app;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        ResponseWriter = HealthReportWriter.Write,
    };
}
