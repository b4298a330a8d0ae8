using Conversations.Core.Messages;
using Conversations.Core.Conversations;
using Conversations.Abstractions.Grains;
using Conversations.Core.Items;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Conversations;

/// <summary>
/// A conversation keeps its history in upstream form between turns and only adds to it; every turn must
/// still send the whole history, in order, exactly as stored, however long it grows.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class LongHistoryTests(GrainCluster cluster)
{
    [Fact]
    public async Task Every_turn_of_a_long_conversation_sends_its_whole_history()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(
            instructions: "Be brief.",
            items: [Requests.Item(MessageRole.User, $"Seed {marker}"), Requests.Item(MessageRole.Assistant, "Seed answer")])));

        // Long, varied messages, so the kept history passes several block boundaries; one streamed turn among them.
        var expected = new List<(string Role, string Content)> { ("system", "Be brief."), ("user", $"Seed {marker}"), ("assistant", "Seed answer") };
        for (var turn = 0; turn < 60; turn++)
        {
            var content = $"Turn {turn} \"quoted\" é 中文 " + new string((char)('a' + (turn % 26)), 1500 + (turn * 97 % 700));
            var reply = turn == 30
                ? TurnEvents.Text(await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream(content))))
                : Expect.Ok(await grain.Send(owner, Requests.Send(content))).Reply.Content;
            expected.Add(("user", content));

            var sent = cluster.Fake.Mentioning(marker)[^1];
            Assert.Equal(expected, sent.Messages());
            expected.Add(("assistant", reply));
        }

        var items = Expect.Ok(await grain.ListItems(owner, Requests.Page(limit: 100, order: Core.Requests.SortOrder.Descending))).Items;
        Assert.Equal(expected[^1].Content, items[0].Content);
    }
}
