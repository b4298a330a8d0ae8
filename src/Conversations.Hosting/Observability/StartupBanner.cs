using System.Net;
using Conversations.Core.Offline;
using Conversations.Hosting.Cluster;
using Conversations.Upstream;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;

namespace Conversations.Hosting.Observability;

/// <summary>
/// Once the process is up, says in a few lines what it is: where it listens (an API host), which model
/// answers, where the data lives and how it joins the cluster. Never a secret: the upstream's URL without
/// user info or query, PostgreSQL's host and database, Redis' endpoints, but no key or password.
/// </summary>
public sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    IConfiguration configuration,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Started, not starting: the server's addresses are known only once it listens.
        lifetime.ApplicationStarted.Register(Write);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Write()
    {
        var cluster = ClusterSettings.From(configuration);
        var isSilo = services.GetService<ILocalSiloDetails>() is not null;
        var model = Model(services.GetRequiredService<IOptions<UpstreamOptions>>().Value);
        var store = isSilo ? Store(cluster) : "kept by the silos";
        var tls = ClusterTls.From(configuration);
        var membership = Membership(cluster, isSilo) + (tls is null ? "" : $", mutual TLS as {tls.Certificate.Subject}");
        if (services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses)
        {
            LogApiHost(logger, string.Join(", ", addresses), model, store, membership);
        }
        else
        {
            LogSilo(logger, model, store, membership);
        }

        if (tls is null && cluster.TrafficLeavesTheMachine)
        {
            LogOpenCluster(logger);
        }
    }

    private static string Model(UpstreamOptions upstream) => upstream.IsConfigured
        ? $"{UpstreamStartupReport.DisplayUrl(upstream.BaseUrl)}, default model {upstream.DefaultModel}"
            + (upstream.OfflineModelActive ? $", and the built-in '{OfflineModel.ModelId}' model" : "")
        : $"the built-in '{OfflineModel.ModelId}' model, which only echoes (set {UpstreamOptions.ApiKeyVariable} or {UpstreamOptions.BaseUrlVariable} for a real one)";

    private static string Store(ClusterSettings cluster)
    {
        if (cluster.Postgres is not { } postgres)
        {
            return $"SQLite, {cluster.SqlitePath}";
        }

        var parts = new NpgsqlConnectionStringBuilder(postgres);
        return $"PostgreSQL, database {parts.Database ?? parts.Username} on {parts.Host}:{parts.Port}";
    }

    private static string Membership(ClusterSettings cluster, bool isSilo)
    {
        var ports = $"silo port {cluster.SiloPort}, gateway port {cluster.GatewayPort}";
        return (cluster.Redis, isSilo) switch
        {
            (null, true) => $"a silo, localhost clustering ({ports})",
            (null, false) => $"an Orleans client of the silo on this machine (gateway port {cluster.GatewayPort})",
            ({ } redis, true) => $"a silo of cluster '{cluster.ClusterId}', membership in Redis at {RedisEndpoints(redis)} ({ports}, advertised as {cluster.AdvertisedAddress})",
            ({ } redis, false) => $"an Orleans client of cluster '{cluster.ClusterId}', membership in Redis at {RedisEndpoints(redis)}",
        };
    }

    private static string RedisEndpoints(string connectionString)
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
        options.SetDefaultPorts();
        return string.Join(", ", options.EndPoints.Select(endpoint => endpoint switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            _ => endpoint.ToString(),
        }));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = """
        Conversations API serving on {Addresses} (Ctrl+C stops it)
          model:   {Model}
          store:   {Store}
          cluster: {Cluster}
        """)]
    private static partial void LogApiHost(ILogger logger, string addresses, string model, string store, string cluster);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message =
        "Cluster traffic is neither authenticated nor encrypted: anything that reaches the silo and gateway ports can call grains without a key. "
        + "Turn on mutual TLS (Cluster__Tls__Certificate and Cluster__Tls__Trust), or keep those ports on a private network; see the README's Scale out section.")]
    private static partial void LogOpenCluster(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = """
        Conversations silo running (Ctrl+C stops it)
          model:   {Model}
          store:   {Store}
          cluster: {Cluster}
        """)]
    private static partial void LogSilo(ILogger logger, string model, string store, string cluster);
}
