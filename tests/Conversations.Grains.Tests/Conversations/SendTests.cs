using Conversations.Core.Messages;
using Conversations.Abstractions.Grains;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Grains.Tests.Conversations;

[Collection(ConversationCollection.Name)]
public sealed class SendTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_turn_returns_the_upstreams_reply_and_stores_both_messages()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(
            instructions: "Be brief.",
            temperature: 0.25,
            items: [Requests.Item(MessageRole.User, $"Earlier question {marker}"), Requests.Item(MessageRole.Assistant, "Earlier answer")])));
        cluster.Fake.Enqueue(FakeResponse.Json(FakeReplies.Completion(
            "chatcmpl-SendTest0000000000000000000001", FakeReplies.FixedCreated, "gpt-4o-2024-08-06", "A scripted answer", new TokenUsage(31, 4), finishReason: "length")));

        var turn = Expect.Ok(await grain.Send(owner, Requests.Send($"New question {marker}", new TurnOverrides("gpt-4o", 0.9, null, 50))));

        Assert.Equal((3L, MessageRole.User, $"New question {marker}", ItemStatus.Completed), (turn.UserMessage.Sequence, turn.UserMessage.Role, turn.UserMessage.Content, turn.UserMessage.Status));
        Assert.Equal(
            // Stopped at the token cap: kept whole, but marked incomplete, as the Responses API marks it.
            (4L, MessageRole.Assistant, "A scripted answer", ItemStatus.Incomplete, new TokenUsage(31, 4), "gpt-4o-2024-08-06", "length", "chatcmpl-SendTest0000000000000000000001"),
            (turn.Reply.Sequence, turn.Reply.Role, turn.Reply.Content, turn.Reply.Status, turn.Reply.Usage, turn.Reply.Model, turn.Reply.FinishReason, turn.Reply.CompletionId));

        // The upstream got the instructions first, then the whole history in order, then the new message, with the turn's overrides.
        var sent = Assert.Single(cluster.Fake.Mentioning(marker));
        Assert.Equal(
            [("system", "Be brief."), ("user", $"Earlier question {marker}"), ("assistant", "Earlier answer"), ("user", $"New question {marker}")],
            sent.Messages());
        Assert.Equal("gpt-4o", sent.String("model"));
        Assert.Equal(0.9, sent.Number("temperature"));
        Assert.Equal(50, sent.Number("max_tokens"));
        Assert.False(sent.Has("stream"));
        Assert.Equal($"Bearer {GrainCluster.ProviderKey}", sent.Header("Authorization"));

        // The next turn uses the conversation's own settings again and carries the first turn in its history.
        var second = Expect.Ok(await grain.Send(owner, Requests.Send("Say thank you")));
        Assert.Equal("Thank you", second.Reply.Content);
        var next = cluster.Fake.Mentioning(marker)[^1];
        Assert.Equal(
            [("system", "Be brief."), ("user", $"Earlier question {marker}"), ("assistant", "Earlier answer"), ("user", $"New question {marker}"), ("assistant", "A scripted answer"), ("user", "Say thank you")],
            next.Messages());
        Assert.Equal(0.25, next.Number("temperature"));
        Assert.Equal("gpt-4o-mini", next.String("model"));
        Assert.False(next.Has("max_tokens"));

        var history = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal([1L, 2, 3, 4, 5, 6], history.Select(m => m.Sequence));
        Expect.SameItems([turn.UserMessage, turn.Reply, second.UserMessage, second.Reply], history.Skip(2));
        var conversation = Expect.Ok(await grain.Get(owner));
        Assert.Equal(new ConversationUsage(2, new TokenUsage(31, 4).Add(second.Reply.Usage)), conversation.Usage);
    }

    [Fact]
    public async Task A_turn_is_durable_once_answered()
    {
        var owner = Requests.NewOwnerId();
        var id = Requests.NewConversationId();
        var grain = cluster.Grain<IConversationGrain>(id);
        Expect.Ok(await grain.Create(owner, Requests.Create()));

        var turn = Expect.Ok(await grain.Send(owner, Requests.Send("Say it is written")));

        // In the store, as another silo would find it…
        var stored = await cluster.ConversationStore.LoadAsync(id);
        Assert.NotNull(stored);
        Expect.SameItems([turn.UserMessage, turn.Reply], stored.Items);
        Assert.Equal(new ConversationUsage(1, turn.Reply.Usage), stored.Conversation.Usage);

        // …and through a fresh activation of the grain.
        await cluster.DeactivateAsync(grain);
        Expect.SameItems([turn.UserMessage, turn.Reply], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items);
        Assert.Equal(new ConversationUsage(1, turn.Reply.Usage), Expect.Ok(await grain.Get(owner)).Usage);
        var next = Expect.Ok(await grain.Send(owner, Requests.Send("Say again")));
        Assert.Equal([3L, 4], new[] { next.UserMessage.Sequence, next.Reply.Sequence });
    }
}
