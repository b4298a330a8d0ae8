using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Users;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>Per-user daily usage: additive, safe under concurrent writers, summed over days and users.</summary>
public abstract class UsageStoreBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    [Fact]
    public async Task Additions_accumulate_per_day_and_sum_to_the_total()
    {
        var yesterday = Samples.Today.AddDays(-1);
        await Store.Usage.AddAsync("ada", Samples.Today, new UsageTotals(1, new TokenUsage(10, 20)));
        await Store.Usage.AddAsync("ada", Samples.Today, new UsageTotals(2, new TokenUsage(5, 6)));
        await Store.Usage.AddAsync("ada", yesterday, new UsageTotals(1, new TokenUsage(100, 200)));

        Assert.Equal(new UsageTotals(3, new TokenUsage(15, 26)), await Store.Usage.GetDayAsync("ada", Samples.Today));
        Assert.Equal(new UsageTotals(1, new TokenUsage(100, 200)), await Store.Usage.GetDayAsync("ada", yesterday));
        Assert.Equal(UsageTotals.None, await Store.Usage.GetDayAsync("ada", Samples.Today.AddDays(1)));
        Assert.Equal(new UsageTotals(4, new TokenUsage(115, 226)), await Store.Usage.GetTotalAsync("ada"));
    }

    [Fact]
    public async Task A_user_without_usage_has_none()
    {
        Assert.Equal(UsageTotals.None, await Store.Usage.GetTotalAsync("nobody"));
        Assert.Equal(UsageTotals.None, await Store.Usage.GetDayAsync("nobody", Samples.Today));
        Assert.Empty(await Store.Usage.GetAllTotalsAsync());
    }

    [Fact]
    public async Task Concurrent_additions_from_two_processes_lose_no_increment()
    {
        await using var otherProcess = await OpenAsync();
        const int additions = 40;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var adders = Enumerable.Range(0, additions).Select(async i =>
        {
            await go.Task;
            var usage = i % 2 == 0 ? Store.Usage : otherProcess.Usage;
            await usage.AddAsync("ada", Samples.Today, new UsageTotals(1, new TokenUsage(10, 3)));
        }).ToList();

        go.SetResult();
        await Task.WhenAll(adders);

        Assert.Equal(new UsageTotals(additions, new TokenUsage(10 * additions, 3 * additions)), await Store.Usage.GetDayAsync("ada", Samples.Today));
    }

    [Fact]
    public async Task All_totals_has_each_users_sum_over_days()
    {
        await Store.Usage.AddAsync("ada", Samples.Today, new UsageTotals(1, new TokenUsage(1, 2)));
        await Store.Usage.AddAsync("ada", Samples.Today.AddDays(-3), new UsageTotals(2, new TokenUsage(3, 4)));
        await Store.Usage.AddAsync("bob", Samples.Today, new UsageTotals(5, new TokenUsage(6, 7)));

        var totals = await Store.Usage.GetAllTotalsAsync();

        Assert.Equal(2, totals.Count);
        Assert.Equal(new UsageTotals(3, new TokenUsage(4, 6)), totals["ada"]);
        Assert.Equal(new UsageTotals(5, new TokenUsage(6, 7)), totals["bob"]);
    }
}
