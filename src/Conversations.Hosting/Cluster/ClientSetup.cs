using Microsoft.Extensions.Configuration;
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

        client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(30));
        return client;
    }
}
