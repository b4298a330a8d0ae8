using Conversations.Core.Users;
using static Conversations.Core.Tests.Users.GivenQuota;

namespace Conversations.Core.Tests.Users;

/// <summary>Concurrent streams: a lease per stream, given back when it ends, or freed once older than the lease lifetime.</summary>
public class StreamLeasesTests
{
    private static readonly QuotaLimits TwoStreams = Limits(concurrentStreams: 2);

    [Fact]
    public void Leases_are_granted_up_to_the_limit_and_the_next_is_refused_naming_it()
    {
        var quota = Quota(TwoStreams);

        var (afterFirst, first) = Quotas.AcquireStream(quota, "lease_a", Start);
        var (afterSecond, second) = Quotas.AcquireStream(afterFirst, "lease_b", Start);
        var (_, third) = Quotas.AcquireStream(afterSecond, "lease_c", Start);

        Assert.Equal(new StreamLease.Granted("lease_a", 2), first);
        Assert.Equal(new StreamLease.Granted("lease_b", 2), second);
        Assert.Equal(new StreamLease.Refused(2), third);
    }

    [Fact]
    public void A_released_lease_frees_its_place()
    {
        var quota = Quota(TwoStreams).Streaming("lease_a", Start).Streaming("lease_b", Start);

        var (_, lease) = Quotas.AcquireStream(Quotas.ReleaseStream(quota, "lease_a"), "lease_c", Start.AddSeconds(5));

        Assert.Equal(new StreamLease.Granted("lease_c", 2), lease);
    }

    [Fact]
    public void Releasing_a_lease_not_held_frees_nothing()
    {
        var quota = Quota(TwoStreams).Streaming("lease_a", Start).Streaming("lease_b", Start);

        var (_, lease) = Quotas.AcquireStream(Quotas.ReleaseStream(quota, "lease_gone"), "lease_c", Start);

        Assert.Equal(new StreamLease.Refused(2), lease);
    }

    [Fact]
    public void A_lease_older_than_the_lifetime_is_freed_for_a_new_one()
    {
        var quota = Quota(TwoStreams).Streaming("lease_lost", Start).Streaming("lease_b", Start.AddMinutes(10));

        var (_, atTheLifetime) = Quotas.AcquireStream(quota, "lease_c", Start + LeaseLifetime);
        var (afterIt, pastTheLifetime) = Quotas.AcquireStream(quota, "lease_c", Start + LeaseLifetime + TimeSpan.FromTicks(1));
        var (_, next) = Quotas.AcquireStream(afterIt, "lease_d", Start + LeaseLifetime + TimeSpan.FromTicks(1));

        Assert.Equal(new StreamLease.Refused(2), atTheLifetime);
        Assert.Equal(new StreamLease.Granted("lease_c", 2), pastTheLifetime);
        Assert.Equal(new StreamLease.Refused(2), next);
        Assert.Equal(["lease_b", "lease_c"], afterIt.Streams.Keys.Order());
    }

    [Fact]
    public void Without_a_streams_limit_every_lease_is_granted_and_none_is_kept()
    {
        var quota = Quota(Limits());
        for (var i = 0; i < 100; i++)
        {
            quota = quota.Streaming($"lease_{i}", Start);
        }

        var (after, lease) = Quotas.AcquireStream(quota, "lease_next", Start);

        Assert.Equal(new StreamLease.Granted("lease_next", null), lease);
        Assert.Empty(after.Streams);
    }
}
