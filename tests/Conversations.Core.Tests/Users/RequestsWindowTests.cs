using Conversations.Core.Users;
using static Conversations.Core.Tests.Users.GivenQuota;

namespace Conversations.Core.Tests.Users;

/// <summary>Requests per minute: fixed one-minute windows, the first starting when counting starts.</summary>
public class RequestsWindowTests
{
    private static readonly QuotaLimits ThreePerMinute = Limits(requestsPerMinute: 3);

    [Fact]
    public void Each_admitted_request_counts_down_what_is_left_of_the_window()
    {
        var quota = Quota(ThreePerMinute);

        var (afterFirst, first) = Quotas.Admit(quota, Start);
        var (afterSecond, second) = Quotas.Admit(afterFirst, Start.AddSeconds(10));
        var (_, third) = Quotas.Admit(afterSecond, Start.AddSeconds(20));

        Assert.All([first, second, third], admission => Assert.IsType<Admission.Admitted>(admission));
        Assert.Equal(
            [new RateWindow(3, 2, TimeSpan.FromSeconds(60)), new RateWindow(3, 1, TimeSpan.FromSeconds(50)), new RateWindow(3, 0, TimeSpan.FromSeconds(40))],
            new[] { first.Requests, second.Requests, third.Requests });
    }

    [Fact]
    public void The_request_over_the_limit_is_refused_with_the_wait_to_the_windows_end()
    {
        var quota = Quota(ThreePerMinute).Admitted(3, at: Start.AddSeconds(10));

        var (after, admission) = Quotas.Admit(quota, Start.AddSeconds(25));

        var refused = Assert.IsType<Admission.Refused>(admission);
        Assert.Equal("requests", refused.Reason);
        Assert.Equal(TimeSpan.FromSeconds(35), refused.RetryAfter);
        Assert.Equal(new RateWindow(3, 0, TimeSpan.FromSeconds(35)), refused.Requests);
        Assert.Equal(RateWindow.Unlimited, refused.Tokens);
        Assert.Equal(quota, after);
    }

    [Fact]
    public void The_window_refills_exactly_when_it_ends()
    {
        var quota = Quota(ThreePerMinute).Admitted(3, at: Start);

        var (_, justBefore) = Quotas.Admit(quota, Start.AddMinutes(1).AddTicks(-1));
        var (_, atTheEnd) = Quotas.Admit(quota, Start.AddMinutes(1));

        Assert.Equal(TimeSpan.FromTicks(1), Assert.IsType<Admission.Refused>(justBefore).RetryAfter);
        Assert.Equal(new RateWindow(3, 2, TimeSpan.FromMinutes(1)), Assert.IsType<Admission.Admitted>(atTheEnd).Requests);
    }

    [Fact]
    public void Windows_keep_their_one_minute_beat_across_a_quiet_spell()
    {
        var quota = Quota(ThreePerMinute).Admitted(3, at: Start);

        var (_, admission) = Quotas.Admit(quota, Start.AddMinutes(5).AddSeconds(45));

        Assert.Equal(new RateWindow(3, 2, TimeSpan.FromSeconds(15)), Assert.IsType<Admission.Admitted>(admission).Requests);
    }

    [Fact]
    public void A_clock_stepped_back_never_makes_the_wait_longer_than_a_minute_nor_refills_the_window()
    {
        var quota = Quota(ThreePerMinute).Admitted(3, at: Start.AddSeconds(30));

        var (_, admission) = Quotas.Admit(quota, Start.AddMinutes(-10));

        var refused = Assert.IsType<Admission.Refused>(admission);
        Assert.Equal(("requests", TimeSpan.FromMinutes(1)), (refused.Reason, refused.RetryAfter));
    }

    [Fact]
    public void Without_a_requests_limit_every_request_is_admitted_and_nothing_is_counted()
    {
        var quota = Quota(Limits()).Admitted(10_000, at: Start);

        var (after, admission) = Quotas.Admit(quota, Start);

        Assert.Equal(RateWindow.Unlimited, Assert.IsType<Admission.Admitted>(admission).Requests);
        Assert.Equal(0, after.RequestsInWindow);
    }
}
