using Conversations.Abstractions.Users;
using Conversations.Core.Users;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Users;

/// <summary>Regression: the <c>Limits</c> configuration section was never read, so service-wide limits were ignored.</summary>
[Collection(UserCollection.Name)]
public sealed class ServiceLimitDefaultsTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_user_without_limits_of_their_own_gets_the_configured_service_wide_limit()
    {
        // The cluster is configured with Limits:ConcurrentStreams = 7 (the built-in default is 20).
        var user = await cluster.Client.GetGrain<IAdminGrain>(0).CreateUser("Ada", UserLimits.Defaults);
        var grain = cluster.Grain<IUserGrain>(user.Id);

        var leases = new List<StreamLease>();
        for (var i = 0; i <= GrainCluster.ConfiguredConcurrentStreams; i++)
        {
            leases.Add(await grain.AcquireStream());
        }

        Assert.All(leases, lease => Assert.Equal(GrainCluster.ConfiguredConcurrentStreams, Leases.Limit(lease)));
        Assert.All(leases.Take(GrainCluster.ConfiguredConcurrentStreams), lease => Assert.True(lease is StreamLease.Granted));
        Assert.False(leases[^1] is StreamLease.Granted);
    }
}
