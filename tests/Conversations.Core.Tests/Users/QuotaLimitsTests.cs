using Conversations.Core.Users;

namespace Conversations.Core.Tests.Users;

public class QuotaLimitsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(90);

    [Fact]
    public void A_users_own_limits_win_over_the_service_defaults()
    {
        var limits = Quotas.Merge(new UserLimits(60, 200_000, 2), new UserLimits(600, 1_000_000, 20), Lifetime);

        Assert.Equal(new QuotaLimits(60, 200_000, 2, Lifetime), limits);
    }

    [Fact]
    public void Limits_a_user_has_none_of_come_from_the_service_defaults()
    {
        var limits = Quotas.Merge(new UserLimits(60, null, null), new UserLimits(600, 1_000_000, 20), Lifetime);

        Assert.Equal(new QuotaLimits(60, 1_000_000, 20, Lifetime), limits);
    }

    [Theory]
    [InlineData(0, 600)]
    [InlineData(-1, 600)]
    [InlineData(null, 0)]
    [InlineData(null, -5)]
    [InlineData(null, null)]
    public void Zero_or_less_as_the_users_own_limit_or_as_the_default_is_no_limit(int? own, int? serviceDefault)
    {
        var limits = Quotas.Merge(new UserLimits(own, own, own), new UserLimits(serviceDefault, serviceDefault, serviceDefault), Lifetime);

        Assert.Equal(new QuotaLimits(null, null, null, Lifetime), limits);
    }
}
