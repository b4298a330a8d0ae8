using Conversations.Core.Users;
using static Conversations.Core.Tests.Users.GivenQuota;

namespace Conversations.Core.Tests.Users;

/// <summary>Tokens per day: today's usage (UTC), stored or not yet, against the limit; a new count each UTC midnight.</summary>
public class TokensPerDayTests
{
    private static readonly QuotaLimits ThousandPerDay = Limits(tokensPerDay: 1_000);
    private static readonly DateTimeOffset Midnight = new(2025, 3, 15, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2025, 3, 14);
    private static readonly DateOnly Tomorrow = new(2025, 3, 15);

    [Fact]
    public void What_is_left_of_today_and_the_time_to_midnight_UTC_come_with_every_admission()
    {
        var quota = Quota(ThousandPerDay, storedToday: Tokens(400));

        var (_, admission) = Quotas.Admit(quota, Start);

        Assert.Equal(new RateWindow(1_000, 600, Midnight - Start), Assert.IsType<Admission.Admitted>(admission).Tokens);
    }

    [Fact]
    public void Once_todays_tokens_are_used_up_requests_are_refused_until_midnight_UTC()
    {
        var quota = Quota(ThousandPerDay, storedToday: Tokens(1_000));

        var (_, admission) = Quotas.Admit(quota, Start);

        var refused = Assert.IsType<Admission.Refused>(admission);
        Assert.Equal(("tokens", TimeSpan.FromMinutes(104.5)), (refused.Reason, refused.RetryAfter));
        Assert.Equal(new RateWindow(1_000, 0, TimeSpan.FromMinutes(104.5)), refused.Tokens);
    }

    [Fact]
    public void A_refusal_for_tokens_does_not_count_against_requests_per_minute()
    {
        var quota = Quota(Limits(requestsPerMinute: 3, tokensPerDay: 1_000), storedToday: Tokens(1_000));

        var (after, admission) = Quotas.Admit(quota, Start.AddSeconds(15));

        Assert.Equal(new RateWindow(3, 3, TimeSpan.FromSeconds(45)), Assert.IsType<Admission.Refused>(admission).Requests);
        Assert.Equal(0, after.RequestsInWindow);
    }

    [Fact]
    public void Usage_recorded_here_counts_at_once_before_it_is_stored()
    {
        var quota = Quotas.RecordUsage(Quota(ThousandPerDay, storedToday: Tokens(600)), Tokens(400));

        var (_, admission) = Quotas.Admit(quota, Start.AddSeconds(1));

        Assert.Equal("tokens", Assert.IsType<Admission.Refused>(admission).Reason);
        Assert.Equal(Tokens(600).Add(Tokens(400)), Quotas.UsedToday(quota));
    }

    [Fact]
    public void Stored_usage_keeps_counting_once_and_leaves_nothing_to_store()
    {
        var quota = Quotas.RecordUsage(Quota(ThousandPerDay, storedToday: Tokens(600)), Tokens(300));

        var stored = Quotas.UsageStored(quota);

        Assert.Equal(Quotas.UsedToday(quota), Quotas.UsedToday(stored));
        Assert.Equal(UsageTotals.None, stored.Unstored);
    }

    [Fact]
    public void Midnight_is_UTC_midnight_whatever_offset_the_time_is_given_in()
    {
        var quota = Quota(ThousandPerDay, storedToday: Tokens(1_000));
        var halfPastOneInParis = new DateTimeOffset(2025, 3, 15, 1, 30, 0, TimeSpan.FromHours(2));

        var (_, admission) = Quotas.Admit(quota, halfPastOneInParis);

        Assert.Equal(TimeSpan.FromMinutes(30), Assert.IsType<Admission.Refused>(admission).RetryAfter);
    }

    [Fact]
    public void Yesterdays_usage_no_longer_counts_after_midnight_UTC()
    {
        var quota = Quota(ThousandPerDay, storedToday: Tokens(1_000));
        var (_, beforeMidnight) = Quotas.Admit(quota, Midnight.AddSeconds(-30));

        var (_, afterMidnight) = Quotas.Admit(quota, Midnight);

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<Admission.Refused>(beforeMidnight).RetryAfter);
        Assert.Equal(new RateWindow(1_000, 1_000, TimeSpan.FromDays(1)), Assert.IsType<Admission.Admitted>(afterMidnight).Tokens);
    }

    [Fact]
    public void A_new_day_is_due_from_midnight_UTC_and_not_before()
    {
        var quota = Quota(ThousandPerDay);

        Assert.Null(Quotas.NewDay(quota, Midnight.AddTicks(-1)));
        Assert.Equal(Tomorrow, Quotas.NewDay(quota, Midnight));
    }

    [Fact]
    public void The_new_day_counts_what_the_store_holds_for_it()
    {
        var quota = Quota(ThousandPerDay, storedToday: Tokens(1_000));

        var rolled = Quotas.RollDay(quota, Tomorrow, Tokens(250));
        var (_, admission) = Quotas.Admit(rolled, Midnight.AddHours(6));

        Assert.Null(Quotas.NewDay(rolled, Midnight.AddHours(6)));
        Assert.Equal(new RateWindow(1_000, 750, TimeSpan.FromHours(18)), Assert.IsType<Admission.Admitted>(admission).Tokens);
    }

    [Fact]
    public void Usage_not_yet_stored_at_midnight_keeps_its_day_and_stops_counting()
    {
        var quota = Quotas.RecordUsage(Quota(ThousandPerDay), Tokens(1_000));

        var rolled = Quotas.RollDay(quota, Tomorrow, UsageTotals.None);

        Assert.Equal(UsageTotals.None, Quotas.UsedToday(rolled));
        Assert.True(Quotas.HoldsPastUsage(rolled));
        Assert.Equal((Tokens(1_000), Today), (rolled.Unstored, rolled.UnstoredDay));
        Assert.Equal(UsageTotals.None, Quotas.UsedToday(Quotas.UsageStored(rolled)));
    }
}
