using Conversations.Abstractions.Storage;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>
/// The idempotency keys turns are sent with: stored with the turn or not at all, loaded with the
/// conversation, replaced when reused, gone with the conversation or once they are a day old.
/// </summary>
public abstract class TurnKeyBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    [Fact]
    public async Task A_turns_key_is_stored_with_it_and_loaded_with_the_conversation()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        var first = Samples.KeyedTurn(conversation, 1, "retry-me");
        var unkeyed = Samples.Turn(conversation, 3, new TokenUsage(1, 1));
        var third = Samples.KeyedTurn(conversation, 5, "Zeta-Mixed-CASE_42");

        await Expect.Appended(Store.Conversations.AppendTurnAsync(first));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(unkeyed));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(third));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Expect.SameTurnKeys([first.Key!, third.Key!], stored.TurnKeys);
        Assert.Equal(stored.Items.Single(m => m.Sequence == 2).Id, stored.TurnKeys.Single(k => k.Key == "retry-me").ReplyMessageId);
    }

    [Fact]
    public async Task A_conversation_without_keyed_turns_loads_with_no_keys()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 2, new TokenUsage(1, 1))));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);

        Assert.Empty(stored!.TurnKeys);
    }

    [Fact]
    public async Task A_turn_refused_as_stale_stores_no_key()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        var winner = Samples.KeyedTurn(conversation, 2, "winner");
        await Expect.Appended(Store.Conversations.AppendTurnAsync(winner));

        var stale = Samples.KeyedTurn(conversation, 2, "loser");
        Expect.Stale(await Store.Conversations.AppendTurnAsync(stale));
        // The same key as the winner's, from a stale writer: the winner's record must stay as it was.
        var staleSameKey = Samples.KeyedTurn(conversation, 2, "winner", Samples.Start.AddDays(1));
        Expect.Stale(await Store.Conversations.AppendTurnAsync(staleSameKey));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Expect.SameTurnKeys([winner.Key!], stored!.TurnKeys);
    }

    [Fact]
    public async Task A_turn_for_a_deleted_conversation_stores_no_key()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        await Store.Conversations.DeleteAsync(conversation.Id);

        Expect.Stale(await Store.Conversations.AppendTurnAsync(Samples.KeyedTurn(conversation, 1, "orphan")));

        await Store.Conversations.CreateAsync(conversation, []);
        Assert.Empty((await Store.Conversations.LoadAsync(conversation.Id))!.TurnKeys);
    }

    [Fact]
    public async Task A_key_used_again_in_the_same_conversation_now_names_the_newer_turn()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.KeyedTurn(conversation, 1, "daily-report")));
        var later = Samples.KeyedTurn(conversation, 3, "daily-report", Samples.Start.AddDays(2));

        await Expect.Appended(Store.Conversations.AppendTurnAsync(later));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.Equal(later.Key, Assert.Single(stored!.TurnKeys));
        Assert.Equal([1L, 2, 3, 4], stored.Items.Select(m => m.Sequence));
    }

    [Fact]
    public async Task The_same_key_in_two_conversations_is_two_keys()
    {
        var mine = Samples.Conversation();
        var theirs = Samples.Conversation();
        await Store.Conversations.CreateAsync(mine, []);
        await Store.Conversations.CreateAsync(theirs, []);
        var myTurn = Samples.KeyedTurn(mine, 1, "shared-key");
        var theirTurn = Samples.KeyedTurn(theirs, 1, "shared-key");

        await Expect.Appended(Store.Conversations.AppendTurnAsync(myTurn));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(theirTurn));

        Assert.Equal(myTurn.Key, Assert.Single((await Store.Conversations.LoadAsync(mine.Id))!.TurnKeys));
        Assert.Equal(theirTurn.Key, Assert.Single((await Store.Conversations.LoadAsync(theirs.Id))!.TurnKeys));
    }

    [Fact]
    public async Task Deleting_a_conversation_deletes_its_keys()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.KeyedTurn(conversation, 1, "first")));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.KeyedTurn(conversation, 3, "second")));

        Assert.True(await Store.Conversations.DeleteAsync(conversation.Id));

        // Nothing is left for a purge to find, however late it runs...
        Assert.Equal(0, await Store.Idempotency.PurgeExpiredAsync(Samples.Start.AddYears(1)));
        // ...and a conversation created again under the id starts without them.
        await Store.Conversations.CreateAsync(conversation, []);
        Assert.Empty((await Store.Conversations.LoadAsync(conversation.Id))!.TurnKeys);
    }

    [Fact]
    public async Task A_purge_deletes_turn_keys_a_day_old_and_keeps_younger_ones()
    {
        var now = Samples.Start.AddDays(3);
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        var tooOld = Samples.KeyedTurn(conversation, 1, "too-old", now - IdempotencyKey.Window - TimeSpan.FromMinutes(5));
        var exactlyADay = Samples.KeyedTurn(conversation, 3, "exactly-a-day", now - IdempotencyKey.Window);
        var justYounger = Samples.KeyedTurn(conversation, 5, "just-younger", now - IdempotencyKey.Window + TimeSpan.FromTicks(1));
        var recent = Samples.KeyedTurn(conversation, 7, "recent", now.AddMinutes(-1));
        foreach (var turn in new[] { tooOld, exactlyADay, justYounger, recent })
        {
            await Expect.Appended(Store.Conversations.AppendTurnAsync(turn));
        }

        Assert.Equal(2, await Store.Idempotency.PurgeExpiredAsync(now));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Expect.SameTurnKeys([justYounger.Key!, recent.Key!], stored!.TurnKeys);
        // The turns themselves are history, not idempotency records: they stay.
        Assert.Equal(8, stored.Items.Length);
        Assert.Equal(0, await Store.Idempotency.PurgeExpiredAsync(now));
    }
}
