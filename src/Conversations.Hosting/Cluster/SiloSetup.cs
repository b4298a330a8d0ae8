using System.Net;
using Conversations.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Conversations.Hosting.Cluster;

/// <summary>Makes a process a silo of the Conversations cluster: membership, endpoints, and what grains need.</summary>
public static class SiloSetup
{
    public static ISiloBuilder AddConversationsSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = ClusterSettings.From(configuration);
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });

        if (settings.Redis is { } redis)
        {
            silo.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            silo.ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(settings.AdvertisedAddress));
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
        }

        if (ClusterTls.From(configuration) is { } tls)
        {
            silo.UseTls(tls.Certificate, tls.Configure);
        }

        silo.Configure<SiloMessagingOptions>(options =>
        {
            // A dead silo's conversations should come back quickly on the others.
            options.ResponseTimeout = TimeSpan.FromSeconds(30);
        });
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 2;
            options.NumVotesForDeathDeclaration = 1;
            options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });

        silo.Services.AddConversationGrainServices(configuration, settings);
        return silo;
    }
}
