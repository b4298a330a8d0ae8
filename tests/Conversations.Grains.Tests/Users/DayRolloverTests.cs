using Conversations.Core.Messages;
using Conversations.Abstractions.Users;
using Conversations.Core.Items;
using Conversations.Core.Users;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.Polling;

namespace Conversations.Grains.Tests.Users;

[Collection(UserClockCollection.Name)]
public sealed class DayRolloverTests(UserClockCluster cluster)
{
    [Fact]
    public async Task Tokens_used_up_today_are_refused_until_midnight_UTC_and_counted_afresh_after_it()
    {
        var yesterday = DateOnly.FromDateTime(UserClockCluster.Start.UtcDateTime);
        var user = await cluster.Client.GetGrain<IAdminGrain>(0).CreateUser("Ada", new UserLimits(RequestsPerMinute: null, TokensPerDay: 30, ConcurrentStreams: null));
        var grain = cluster.Grain<IUserGrain>(user.Id);
        var used = new UsageTotals(1, new TokenUsage(30, 5));
        await grain.RecordUsage(used, stored: false);
        await Eventually.Holds(grain.GetUsage, usage => usage.Today.Requests >= 1, what: "The recorded usage reaching the user's grain");

        var beforeMidnight = Assert.IsType<Admission.Refused>((await grain.Reserve(1)).Admission);
        Assert.Equal("tokens", beforeMidnight.Reason);
        Assert.Equal(TimeSpan.FromMinutes(1), beforeMidnight.RetryAfter);

        cluster.Clock.Advance(TimeSpan.FromMinutes(1));

        var afterMidnight = Assert.IsType<Admission.Admitted>((await grain.Reserve(1)).Admission);
        Assert.Equal(new RateWindow(30, 30, TimeSpan.FromDays(1)), afterMidnight.Tokens);
        Assert.Equal(new UsageReport(user.Id, used, UsageTotals.None), await grain.GetUsage());
        Assert.Equal(used, await cluster.UsageStore.GetDayAsync(user.Id, yesterday));
    }
}
