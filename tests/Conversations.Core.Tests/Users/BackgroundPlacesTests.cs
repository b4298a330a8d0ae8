using Conversations.Core.Users;
using static Conversations.Core.Tests.Users.GivenQuota;

namespace Conversations.Core.Tests.Users;

/// <summary>
/// Responses running in the background: each takes one of the user's background places and one of their streams,
/// under the response's id, and gives both back when released; a lost one is freed after the lease lifetime.
/// </summary>
public class BackgroundPlacesTests
{
    private static readonly QuotaLimits OneInTheBackground = Limits(concurrentStreams: 3) with { BackgroundResponses = 1 };

    [Fact]
    public void The_background_places_are_granted_up_to_their_limit_and_the_next_is_refused_naming_it()
    {
        var (afterFirst, first) = Quotas.AcquireBackground(Quota(OneInTheBackground), "resp_a", Start);
        var (_, second) = Quotas.AcquireBackground(afterFirst, "resp_b", Start);

        Assert.Equal(new StreamLease.Granted("resp_a", 3), first);
        Assert.Equal(new StreamLease.BackgroundRefused(1), second);
        Assert.Equal(["resp_a"], afterFirst.Streams.Keys);
    }

    [Fact]
    public void A_background_response_counts_among_the_streams_and_is_refused_when_they_are_all_taken()
    {
        var quota = Quota(OneInTheBackground).Streaming("lease_a", Start).Streaming("lease_b", Start).Streaming("lease_c", Start);

        var (after, lease) = Quotas.AcquireBackground(quota, "resp_a", Start);

        Assert.Equal(new StreamLease.Refused(3), lease);
        Assert.Empty(after.Background);
    }

    [Fact]
    public void Releasing_a_background_response_frees_its_place_and_its_stream()
    {
        var (running, _) = Quotas.AcquireBackground(Quota(OneInTheBackground), "resp_a", Start);

        var released = Quotas.ReleaseStream(running, "resp_a");
        var (_, next) = Quotas.AcquireBackground(released, "resp_b", Start.AddSeconds(1));

        Assert.Empty(released.Streams);
        Assert.Equal(new StreamLease.Granted("resp_b", 3), next);
    }

    [Fact]
    public void A_background_place_older_than_the_lease_lifetime_is_freed_as_lost()
    {
        var (lost, _) = Quotas.AcquireBackground(Quota(OneInTheBackground), "resp_lost", Start);

        var (_, atTheLifetime) = Quotas.AcquireBackground(lost, "resp_b", Start + LeaseLifetime);
        var (_, pastIt) = Quotas.AcquireBackground(lost, "resp_b", Start + LeaseLifetime + TimeSpan.FromTicks(1));

        Assert.Equal(new StreamLease.BackgroundRefused(1), atTheLifetime);
        Assert.Equal(new StreamLease.Granted("resp_b", 3), pastIt);
    }

    [Fact]
    public void Without_a_background_limit_only_the_streams_count()
    {
        var (afterFirst, first) = Quotas.AcquireBackground(Quota(Limits(concurrentStreams: 2)), "resp_a", Start);
        var (afterSecond, second) = Quotas.AcquireBackground(afterFirst, "resp_b", Start);
        var (_, third) = Quotas.AcquireBackground(afterSecond, "resp_c", Start);

        Assert.IsType<StreamLease.Granted>(first);
        Assert.IsType<StreamLease.Granted>(second);
        Assert.Equal(new StreamLease.Refused(2), third);
    }
}
