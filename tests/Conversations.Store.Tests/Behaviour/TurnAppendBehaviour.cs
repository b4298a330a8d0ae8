using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Users;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>Appending turns: order, counters, daily usage, and refusing writers whose view of the history is stale.</summary>
public abstract class TurnAppendBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    [Fact]
    public async Task Appended_turns_extend_the_history_in_sequence_order_and_add_to_the_counters()
    {
        var conversation = Samples.Conversation();
        Item[] seed = [Samples.Input(1, "You are helpful.", MessageRole.System)];
        await Store.Conversations.CreateAsync(conversation, seed);
        var first = Samples.Turn(conversation, 2, new TokenUsage(10, 5));
        var second = Samples.Turn(conversation, 4, new TokenUsage(30, 7));

        await Expect.Appended(Store.Conversations.AppendTurnAsync(first));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(second));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Assert.Equal<Item>([.. seed, .. first.Items, .. second.Items], stored.Items);
        Assert.Equal([1L, 2, 3, 4, 5], stored.Items.Select(m => m.Sequence));
        Assert.Equal(new ConversationUsage(2, new TokenUsage(40, 12)), stored.Conversation.Usage);
    }

    [Fact]
    public async Task A_turn_adds_one_request_and_its_tokens_to_the_owners_day()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        var yesterday = Samples.Today.AddDays(-1);

        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 1, new TokenUsage(10, 5), yesterday)));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 3, new TokenUsage(20, 6))));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 5, new TokenUsage(1, 1))));
        // Usage added directly (say, by the user's own grain) joins the same day.
        await Store.Usage.AddAsync(conversation.OwnerId, Samples.Today, new UsageTotals(1, new TokenUsage(100, 0)));

        Assert.Equal(new UsageTotals(1, new TokenUsage(10, 5)), await Store.Usage.GetDayAsync(conversation.OwnerId, yesterday));
        Assert.Equal(new UsageTotals(3, new TokenUsage(121, 7)), await Store.Usage.GetDayAsync(conversation.OwnerId, Samples.Today));
        Assert.Equal(new UsageTotals(4, new TokenUsage(131, 12)), await Store.Usage.GetTotalAsync(conversation.OwnerId));
    }

    [Fact]
    public async Task A_turn_at_a_taken_sequence_is_refused_as_stale_and_writes_nothing()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        var winner = Samples.Turn(conversation, 2, new TokenUsage(10, 5));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(winner));
        var before = await Store.Conversations.LoadAsync(conversation.Id);

        var stale = Samples.Turn(conversation, 2, new TokenUsage(1000, 1000));
        var refused = Expect.Stale(await Store.Conversations.AppendTurnAsync(stale));

        Assert.Equal(conversation.Id, refused.ConversationId);
        Assert.Equal(2, refused.Sequence);
        var after = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(after);
        Assert.Equal<Item>(before!.Items, after.Items);
        Assert.Equal(before.Conversation.Usage, after.Conversation.Usage);
        Assert.Equal(new UsageTotals(1, new TokenUsage(10, 5)), await Store.Usage.GetDayAsync(conversation.OwnerId, Samples.Today));
    }

    [Fact]
    public async Task A_turn_whose_later_message_collides_keeps_none_of_its_messages()
    {
        var conversation = Samples.Conversation();
        // A history with a hole at 2 and a message at 3: the turn's first message fits, its second does not.
        Item[] seed = [Samples.Input(1, "one"), Samples.Input(3, "three")];
        await Store.Conversations.CreateAsync(conversation, seed);

        var refused = Expect.Stale(await Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 2, new TokenUsage(5, 5))));

        Assert.Equal(3, refused.Sequence);
        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Assert.Equal(seed, stored.Items);
        Assert.Equal(ConversationUsage.None, stored.Conversation.Usage);
        Assert.Equal(UsageTotals.None, await Store.Usage.GetTotalAsync(conversation.OwnerId));
    }

    [Fact]
    public async Task Of_two_activations_racing_for_the_same_sequence_exactly_one_wins()
    {
        // Two stores on one database: two silos, each with an activation of the same conversation.
        await using var otherSilo = await OpenAsync();
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        const int rounds = 12;
        var expected = new List<Item>((await Store.Conversations.LoadAsync(conversation.Id))!.Items);

        for (var round = 0; round < rounds; round++)
        {
            var sequence = 2 + (2 * round);
            var mine = Samples.Turn(conversation, sequence, new TokenUsage(1, 1));
            var theirs = Samples.Turn(conversation, sequence, new TokenUsage(1, 1));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var myAppend = AppendWhenToldAsync(Store.Conversations, mine, go.Task);
            var theirAppend = AppendWhenToldAsync(otherSilo.Conversations, theirs, go.Task);
            go.SetResult();
            var outcomes = await Task.WhenAll(myAppend, theirAppend);

            Assert.Single(outcomes, o => o is null);
            var loser = Assert.Single(outcomes, o => o is not null);
            Assert.Equal(sequence, loser!.Sequence);
            expected.AddRange(outcomes[0] is null ? mine.Items : theirs.Items);
        }

        var stored = await otherSilo.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Assert.Equal(expected, stored.Items);
        Assert.Equal(rounds, stored.Conversation.Usage.Requests);
        Assert.Equal(rounds, (await Store.Usage.GetDayAsync(conversation.OwnerId, Samples.Today)).Requests);
    }

    [Fact]
    public async Task A_turn_for_a_deleted_conversation_is_refused_as_stale()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        await Store.Conversations.DeleteAsync(conversation.Id);

        Expect.Stale(await Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 1, new TokenUsage(5, 5))));

        Assert.Null(await Store.Conversations.LoadAsync(conversation.Id));
        Assert.Equal(UsageTotals.None, await Store.Usage.GetTotalAsync(conversation.OwnerId));
    }

    [Fact]
    public async Task A_turn_that_repeats_a_sequence_within_itself_is_a_caller_error_not_a_stale_write()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        TurnRecord broken = new(conversation.Id, conversation.OwnerId, [Samples.Input(1, "a"), Samples.Input(1, "b")], TokenUsage.Zero, Samples.Today);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Conversations.AppendTurnAsync(broken));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.Empty(stored!.Items);
    }

    /// <returns>Null if the append went through, else the refusal.</returns>
    private static async Task<StaleHistory?> AppendWhenToldAsync(IConversationStore store, TurnRecord turn, Task go)
    {
        await go;
        var appended = await store.AppendTurnAsync(turn);
        return appended.Match<StaleHistory?>(_ => null, refused => refused);
    }
}
