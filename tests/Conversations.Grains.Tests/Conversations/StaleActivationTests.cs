using Conversations.Core.Messages;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Conversations;

/// <summary>
/// A failover race: another silo's activation of the same conversation wrote a turn this activation does not
/// know of. This activation's next turn must be refused as a conflict, store nothing, and the call after it
/// must see the true history.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class StaleActivationTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_turn_on_a_stale_activation_is_a_conflict_and_the_next_call_sees_the_true_history()
    {
        var (grain, owner, marker, elsewhere) = await ConversationWrittenElsewhere();

        var result = await grain.Send(owner, Requests.Send($"Stale question {marker}"));

        Assert.IsType<ConversationError.Conflict>(Expect.Failure(result));
        await AssertTrueHistoryThenNextTurnWorks(grain, owner, marker, elsewhere);
    }

    [Fact]
    public async Task A_streamed_turn_on_a_stale_activation_fails_as_a_conflict_and_the_next_call_sees_the_true_history()
    {
        var (grain, owner, marker, elsewhere) = await ConversationWrittenElsewhere();

        var events = await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream($"Stale question {marker}")));

        Assert.IsType<TurnEvent.Started>(events[0]);
        Assert.IsType<ConversationError.Conflict>(Assert.IsType<TurnEvent.Failed>(events[^1]).Error);
        await AssertTrueHistoryThenNextTurnWorks(grain, owner, marker, elsewhere);
    }

    /// <summary>A conversation this activation holds, and a turn appended to it behind its back, as another silo would.</summary>
    private async Task<(IConversationGrain Grain, string Owner, string Marker, TurnRecord Elsewhere)> ConversationWrittenElsewhere()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var id = Requests.NewConversationId();
        var grain = cluster.Grain<IConversationGrain>(id);
        Expect.Ok(await grain.Create(owner, Requests.Create(instructions: $"Rules {marker}")));
        Assert.Empty(Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items);

        var at = DateTimeOffset.UtcNow;
        var elsewhere = new TurnRecord(
            id,
            owner,
            [
                new MessageItem($"msg_{Guid.NewGuid():N}", 1, ItemStatus.Completed, at, null, MessageRole.User, [new ContentPart.InputText("Asked on another silo")]),
                new MessageItem($"msg_{Guid.NewGuid():N}", 2, ItemStatus.Completed, at, new ReplyInfo(new TokenUsage(11, 3), "gpt-4o-mini", "stop", "chatcmpl-Elsewhere"), MessageRole.Assistant, [ContentPart.OutputText.Of("Answered on another silo")]),
            ],
            new TokenUsage(11, 3),
            DateOnly.FromDateTime(at.UtcDateTime));
        Expect.Ok(await cluster.ConversationStore.AppendTurnAsync(elsewhere));
        return (grain, owner, marker, elsewhere);
    }

    private async Task AssertTrueHistoryThenNextTurnWorks(IConversationGrain grain, string owner, string marker, TurnRecord elsewhere)
    {
        // Nothing of the stale turn was stored.
        var stored = await cluster.ConversationStore.LoadAsync(grain.GetPrimaryKeyString());
        Expect.SameItems(elsewhere.Items, stored!.Items);
        Assert.Equal(new ConversationUsage(1, new TokenUsage(11, 3)), stored.Conversation.Usage);

        // The next call meets an activation that knows the turn written elsewhere.
        Expect.SameItems(elsewhere.Items, Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items);
        Assert.Equal(new ConversationUsage(1, new TokenUsage(11, 3)), Expect.Ok(await grain.Get(owner)).Usage);

        var next = Expect.Ok(await grain.Send(owner, Requests.Send("Say carry on")));
        Assert.Equal(("Carry on", 3L, 4L), (next.Reply.Content, next.UserMessage.Sequence, next.Reply.Sequence));
        Assert.Equal(
            [("system", $"Rules {marker}"), ("user", "Asked on another silo"), ("assistant", "Answered on another silo"), ("user", "Say carry on")],
            cluster.Fake.Mentioning(marker)[^1].Messages());
        Assert.Equal(
            ["Asked on another silo", "Answered on another silo", "Say carry on", "Carry on"],
            Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Select(m => m.Content));
    }
}
