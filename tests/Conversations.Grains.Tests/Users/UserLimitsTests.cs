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
public sealed class UserLimitsTests(GrainCluster cluster)
{
    private IAdminGrain Admin => cluster.Client.GetGrain<IAdminGrain>(0);

    [Fact]
    public async Task Requests_per_minute_count_down_and_the_one_over_the_limit_is_refused_with_a_wait()
    {
        var user = await Admin.CreateUser("Ada", new UserLimits(RequestsPerMinute: 3, TokensPerDay: null, ConcurrentStreams: null));
        var grain = cluster.Grain<IUserGrain>(user.Id);

        var admissions = new List<Admission>();
        for (var i = 0; i < 4; i++)
        {
            admissions.Add((await grain.Reserve(1)).Admission);
        }

        Assert.Equal([true, true, true, false], admissions.Select(a => a is Admission.Admitted));
        Assert.Equal([2L, 1, 0], admissions.Take(3).Select(a => a.Requests.Remaining));
        Assert.All(admissions, a => Assert.Equal(3, a.Requests.Limit));
        var refused = Assert.IsType<Admission.Refused>(admissions[3]);
        Assert.Equal("requests", refused.Reason);
        Assert.True(refused.RetryAfter > TimeSpan.Zero && refused.RetryAfter <= TimeSpan.FromMinutes(1), $"Retry after {refused.RetryAfter}");
        Assert.Equal(0, refused.Requests.Remaining);
        Assert.Equal(refused.RetryAfter, refused.Requests.ResetsIn);
        Assert.Equal(RateWindow.Unlimited, refused.Tokens);
    }

    [Fact]
    public async Task Once_todays_turns_used_up_the_tokens_per_day_further_requests_are_refused_until_midnight()
    {
        var user = await Admin.CreateUser("Ada", new UserLimits(RequestsPerMinute: null, TokensPerDay: 30, ConcurrentStreams: null));
        var grain = cluster.Grain<IUserGrain>(user.Id);
        var before = (await grain.Reserve(1)).Admission;
        Assert.True(before is Admission.Admitted);
        Assert.Equal(new RateWindow(30, 30, before.Tokens.ResetsIn), before.Tokens);

        var conversation = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await conversation.Create(user.Id, Requests.Create()));
        cluster.Fake.Enqueue(FakeResponse.Json(FakeReplies.Completion("chatcmpl-Tokens00000000000000000000001", FakeReplies.FixedCreated, "gpt-4o-mini", "A long answer", new TokenUsage(30, 5))));
        Expect.Ok(await conversation.Send(user.Id, Requests.Send("Tell me everything")));

        await Eventually.Holds(grain.GetUsage, usage => usage.Today.Requests >= 1, what: "The turn reaching the user's usage");
        var longest = UntilMidnight();
        var answer = (await grain.Reserve(1)).Admission;
        var shortest = UntilMidnight();

        Assert.False(answer is Admission.Admitted);
        var after = Assert.IsType<Admission.Refused>(answer);
        Assert.Equal("tokens", after.Reason);
        Assert.InRange(after.RetryAfter, shortest, longest);
        Assert.Equal((30L, 0L), (after.Tokens.Limit, after.Tokens.Remaining));
        Assert.InRange(after.Tokens.ResetsIn, shortest, longest);
    }

    private static TimeSpan UntilMidnight()
    {
        var now = DateTime.UtcNow;
        return now.Date.AddDays(1) - now;
    }

    [Fact]
    public async Task Concurrent_streams_are_leased_up_to_the_limit_and_a_returned_lease_frees_a_place()
    {
        var user = await Admin.CreateUser("Ada", new UserLimits(RequestsPerMinute: null, TokensPerDay: null, ConcurrentStreams: 2));
        var grain = cluster.Grain<IUserGrain>(user.Id);

        var first = await grain.AcquireStream();
        var second = await grain.AcquireStream();
        var third = await grain.AcquireStream();

        Assert.True(first is StreamLease.Granted && second is StreamLease.Granted);
        Assert.NotEqual(Leases.Id(first), Leases.Id(second));
        Assert.Equal((false, 2), (third is StreamLease.Granted, Leases.Limit(third)));
        Assert.Equal([2, 2], new[] { Leases.Limit(first), Leases.Limit(second) });

        await grain.ReleaseStream(Leases.Id(first));
        var afterRelease = await Eventually.Holds(grain.AcquireStream, lease => lease is StreamLease.Granted, what: "A place freed by the returned lease");
        Assert.NotEqual(Leases.Id(second), Leases.Id(afterRelease));
        Assert.False(await grain.AcquireStream() is StreamLease.Granted);
    }
}
