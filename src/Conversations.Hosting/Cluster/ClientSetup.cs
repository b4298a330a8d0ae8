using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Conversations.Hosting.Cluster;

/// <summary>Makes a process (an ApiHost with <c>CONVERSATIONS_SILO=false</c>) a client of the cluster.</summary>
public static class ClientSetup
{
    public static IClientBuilder AddConversationsClient(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = ClusterSettings.From(configuration);
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });

        if (settings.Redis is { } redis)
        {
            client.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        }
        else
        {
            client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }

        if (ClusterTls.From(configuration) is { } tls)
        {
            client.UseTls(tls.Certificate, tls.Configure);
        }

        client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(30));

        // One instance, both told of every gateway connection and read by readiness.
        var gateways = new GatewayConnections();
        client.Services.AddSingleton(gateways);
        client.AddClusterConnectionStatusObserver(gateways);

        // An API host may start before any silo is up (or while they restart): keep trying to connect
        // rather than failing the host; it does not serve until it is connected.
        client.UseConnectionRetryFilter(static async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        });
        return client;
    }
}
