using Conversations.Core.Messages;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Users;
using Conversations.Core.Items;
using Conversations.Core.Users;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Polling;

namespace Conversations.Grains.Tests.Users;

[Collection(UserCollection.Name)]
public sealed class UsageTests(GrainCluster cluster)
{
    private IAdminGrain Admin => cluster.Client.GetGrain<IAdminGrain>(0);

    [Fact]
    public async Task Usage_of_stateless_calls_shows_at_once_and_reaches_the_store_in_a_batch()
    {
        var user = await Admin.CreateUser("Ada", UserLimits.Defaults);
        var grain = cluster.Grain<IUserGrain>(user.Id);
        var recorded = new UsageTotals(1, new TokenUsage(100, 20));

        await grain.RecordUsage(recorded, stored: false);
        await grain.RecordUsage(recorded, stored: false);

        // One-way calls are not ordered with the calls after them; the report shows them as soon as they land.
        var twice = new UsageTotals(2, new TokenUsage(200, 40));
        Assert.Equal(new UsageReport(user.Id, twice, twice), await Eventually.Holds(grain.GetUsage, u => u.Total.Requests >= 2, what: "The recorded usage in the report"));
        await Eventually.Holds(() => cluster.UsageStore.GetTotalAsync(user.Id), total => total == twice, what: "The usage batch being written to the store");
        Assert.Equal(twice, await cluster.UsageStore.GetDayAsync(user.Id, DateOnly.FromDateTime(DateTime.UtcNow)));
        // Once written, it is counted once.
        Assert.Equal(new UsageReport(user.Id, twice, twice), await grain.GetUsage());
    }

    [Fact]
    public async Task A_conversations_turns_count_once_in_its_owners_usage()
    {
        // The owner's grain is not active yet when the turn is stored: it first hears of the turn afterwards.
        var user = await Admin.CreateUser("Ada", UserLimits.Defaults);
        var conversation = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await conversation.Create(user.Id, Requests.Create()));
        cluster.Fake.Enqueue(FakeResponse.Json(FakeReplies.Completion("chatcmpl-Usage000000000000000000000001", FakeReplies.FixedCreated, "gpt-4o-mini", "Counted", new TokenUsage(30, 5))));

        Expect.Ok(await conversation.Send(user.Id, Requests.Send("Count me")));

        var expected = new UsageTotals(1, new TokenUsage(30, 5));
        var grain = cluster.Grain<IUserGrain>(user.Id);
        var usage = await Eventually.Holds(grain.GetUsage, u => u.Today.Requests >= 1, what: "The turn reaching the owner's usage");
        Assert.Equal(new UsageReport(user.Id, expected, expected), usage);
        Assert.Contains(new UsageReport(user.Id, expected, expected), await Admin.AllUsage());

        // A second turn, now that the owner's grain is active, adds to it.
        Expect.Ok(await conversation.Send(user.Id, Requests.Send("Say again")));
        var total = await cluster.UsageStore.GetTotalAsync(user.Id);
        Assert.Equal(2, total.Requests);
        var afterSecond = await Eventually.Holds(grain.GetUsage, u => u.Today.Requests >= 2, what: "The second turn reaching the owner's usage");
        Assert.Equal(new UsageReport(user.Id, total, total), afterSecond);
    }
}
