using Conversations.Core.Users;
using static Conversations.Core.Tests.Users.GivenQuota;

namespace Conversations.Core.Tests.Users;

/// <summary>
/// Requests a host reserves at once: counted when reserved, so no limit is ever exceeded, and given back
/// to their window when not used.
/// </summary>
public class ReservationsTests
{
    [Fact]
    public void A_reservation_counts_every_request_it_grants_and_reports_what_is_left_after_them()
    {
        var quota = Quota(Limits(requestsPerMinute: 6400));

        var (after, reservation) = Quotas.Reserve(quota, Start, 50);

        Assert.Equal(50, reservation.Granted);
        Assert.Equal(new RateWindow(6400, 6350, TimeSpan.FromSeconds(60)), reservation.Admission.Requests);
        Assert.Equal(50, after.RequestsInWindow);
        Assert.Equal(Start, reservation.WindowStart);
    }

    [Fact]
    public void No_reservation_takes_more_than_its_share_of_what_is_left_so_the_last_requests_go_one_at_a_time()
    {
        var quota = Quota(Limits(requestsPerMinute: 640));

        var (afterFirst, first) = Quotas.Reserve(quota, Start, 256);
        var (nearTheEnd, _) = Quotas.Reserve(afterFirst with { RequestsInWindow = 600 }, Start, 256);
        var (_, last) = Quotas.Reserve(nearTheEnd with { RequestsInWindow = 639 }, Start, 256);

        Assert.Equal(640 / Quotas.ReservationShare, first.Granted);
        Assert.Equal(601, nearTheEnd.RequestsInWindow);
        Assert.Equal(1, last.Granted);
        Assert.Equal(0, last.Admission.Requests.Remaining);
    }

    [Fact]
    public void A_full_window_refuses_the_reservation_and_grants_nothing()
    {
        var quota = Quota(Limits(requestsPerMinute: 3)).Admitted(3, at: Start);

        var (after, reservation) = Quotas.Reserve(quota, Start.AddSeconds(1), 10);

        Assert.IsType<Admission.Refused>(reservation.Admission);
        Assert.Equal(0, reservation.Granted);
        Assert.Equal(quota, after);
    }

    [Fact]
    public void With_a_tokens_per_day_limit_requests_are_granted_one_at_a_time()
    {
        var (_, limited) = Quotas.Reserve(Quota(Limits(requestsPerMinute: 100_000, tokensPerDay: 1_000_000)), Start, 100);
        var (_, tokensOnly) = Quotas.Reserve(Quota(Limits(tokensPerDay: 1_000_000)), Start, 100);

        Assert.Equal(1, limited.Granted);
        Assert.Equal(1, tokensOnly.Granted);
    }

    [Fact]
    public void Without_limits_what_is_wanted_is_granted_and_nothing_is_counted()
    {
        var quota = Quota(Limits());

        var (after, reservation) = Quotas.Reserve(quota, Start, 200);

        Assert.Equal(200, reservation.Granted);
        Assert.Equal(RateWindow.Unlimited, reservation.Admission.Requests);
        Assert.Equal(0, after.RequestsInWindow);
    }

    [Fact]
    public void Unused_requests_given_back_in_their_window_can_be_reserved_again()
    {
        var (reserved, reservation) = Quotas.Reserve(Quota(Limits(requestsPerMinute: 6400)), Start, 100);

        var givenBack = Quotas.GiveBack(reserved, reservation.WindowStart, 60);
        var (_, next) = Quotas.Reserve(givenBack, Start.AddSeconds(2), 1);

        Assert.Equal(40, givenBack.RequestsInWindow);
        Assert.Equal(6400 - 41, next.Admission.Requests.Remaining);
    }

    [Fact]
    public void Requests_given_back_after_their_window_ended_change_nothing()
    {
        var (reserved, reservation) = Quotas.Reserve(Quota(Limits(requestsPerMinute: 6400)), Start, 100);
        var (nextWindow, _) = Quotas.Reserve(reserved, Start.AddSeconds(61), 10);

        var givenBack = Quotas.GiveBack(nextWindow, reservation.WindowStart, 90);

        Assert.Equal(nextWindow, givenBack);
        Assert.Equal(10, givenBack.RequestsInWindow);
    }
}
