using Conversations.Abstractions.Grains;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Responses;

/// <summary>
/// A conversation's items on their own (<c>/v1/conversations/{id}/items</c>): appended without calling the
/// model, read one by one, deleted; not while a turn runs; and never for anyone but the owner.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class ConversationItemTests(GrainCluster cluster)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Appended_items_get_fresh_ids_and_the_next_places_and_the_next_turn_hears_them()
    {
        var (grain, owner, marker) = await NewConversation();
        Item clientMessage = new MessageItem("msg_chosen_by_the_client", 0, ItemStatus.Completed, default, null, MessageRole.User,
            [new ContentPart.InputText($"Look {marker}"), new ContentPart.InputImage("data:image/png;base64,iVBORw0KGgo=", "auto")]);

        var appended = Expect.Ok(await grain.AppendItems(owner, [clientMessage, Requests.Call("call_1", "get_weather", """{"city":"Oslo"}"""), Requests.CallOutput("call_1", "cold")]));

        Assert.Equal([2L, 3, 4], appended.Select(i => i.Sequence));
        Assert.Equal([ItemIds.MessagePrefix, ItemIds.FunctionCallPrefix, ItemIds.FunctionCallOutputPrefix], appended.Select(i => i.Id[..(i.Id.IndexOf('_') + 1)]));
        Assert.DoesNotContain("msg_chosen_by_the_client", appended.Select(i => i.Id));
        foreach (var item in appended)
        {
            Assert.Equal(item, Expect.Ok(await grain.GetItem(owner, item.Id)));
        }

        // Kept through a reload, and heard by the next turn in their place.
        await cluster.DeactivateAsync(grain);
        Expect.SameItems(appended, Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Skip(1));
        var turn = Expect.Ok(await grain.Send(owner, Requests.Respond("Say thanks")));
        Assert.Equal([5L, 6], turn.Input.Concat(turn.Output).Select(i => i.Sequence));
        Assert.Equal(
            ["user: seed", $"user: Look {marker}[image data:image/png;base64,iVBORw0KGgo=]", """assistant calls get_weather#call_1 {"city":"Oslo"}""", "tool#call_1: cold", "user: Say thanks"],
            cluster.Fake.Mentioning(marker).Single().Transcript());
    }

    [Fact]
    public async Task A_deleted_item_is_gone_from_the_list_and_from_the_next_turn_and_its_place_is_not_reused()
    {
        var (grain, owner, marker) = await NewConversation();
        var first = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say first {marker}")));
        var forgotten = first.Reply;

        Expect.Ok(await grain.DeleteItem(owner, forgotten.Id));

        Assert.IsType<ConversationError.ItemNotFound>(Expect.Failure(await grain.GetItem(owner, forgotten.Id)));
        Assert.IsType<ConversationError.ItemNotFound>(Expect.Failure(await grain.DeleteItem(owner, forgotten.Id)));
        Assert.Equal(["seed", $"Say first {marker}"], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Select(i => i.Content));

        await cluster.DeactivateAsync(grain);
        Assert.IsType<ConversationError.ItemNotFound>(Expect.Failure(await grain.GetItem(owner, forgotten.Id)));
        var next = Expect.Ok(await grain.Send(owner, Requests.Respond("Say second")));
        Assert.Equal(
            ["user: seed", $"user: Say first {marker}", "user: Say second"],
            cluster.Fake.Mentioning(marker)[^1].Transcript());
        // Positions only grow: the deleted reply's stays taken.
        Assert.Equal([4L, 5], next.Input.Concat(next.Output).Select(i => i.Sequence));
        var appended = Expect.Ok(await grain.AppendItems(owner, [Requests.Item(MessageRole.User, "later")]));
        Assert.Equal(6, Assert.Single(appended).Sequence);
    }

    [Fact]
    public async Task While_a_turn_runs_items_are_readable_but_neither_appended_nor_deleted()
    {
        var (grain, owner, marker) = await NewConversation();
        var seed = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Single();
        var held = HeldReply.SingleShot("Held answer");
        cluster.Fake.Enqueue(held.Response);

        var running = grain.Send(owner, Requests.Respond($"Hold on {marker}"));
        await held.Arrived.WaitAsync(Guard);

        Expect.Busy(await grain.AppendItems(owner, [Requests.Item(MessageRole.User, "meanwhile")]).WaitAsync(Guard));
        Expect.Busy(await grain.DeleteItem(owner, seed.Id).WaitAsync(Guard));
        Assert.Equal(seed, Expect.Ok(await grain.GetItem(owner, seed.Id).WaitAsync(Guard)));
        Assert.False(running.IsCompleted);

        held.Release();
        Assert.Equal("Held answer", Expect.Ok(await running).Reply.Content);
        Assert.Equal(["seed", $"Hold on {marker}", "Held answer"], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Select(i => i.Content));
        Expect.Ok(await grain.AppendItems(owner, [Requests.Item(MessageRole.User, "afterwards")]));
        Expect.Ok(await grain.DeleteItem(owner, seed.Id));
    }

    [Fact]
    public async Task A_stranger_finds_no_conversation_to_append_to_read_or_delete_from()
    {
        var (grain, owner, _) = await NewConversation();
        var seed = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Single();
        var stranger = Requests.NewOwnerId();
        var nowhere = cluster.Grain<IConversationGrain>(Requests.NewConversationId());

        Expect.NotFound(await grain.AppendItems(stranger, [Requests.Item(MessageRole.User, "intrusion")]));
        Expect.NotFound(await grain.GetItem(stranger, seed.Id));
        Expect.NotFound(await grain.DeleteItem(stranger, seed.Id));
        Expect.NotFound(await nowhere.AppendItems(owner, [Requests.Item(MessageRole.User, "into nothing")]));
        Expect.NotFound(await nowhere.GetItem(owner, seed.Id));
        Expect.NotFound(await nowhere.DeleteItem(owner, seed.Id));
        Assert.IsType<ConversationError.ItemNotFound>(Expect.Failure(await grain.GetItem(owner, "msg_" + Guid.NewGuid().ToString("N"))));

        Expect.SameItems([seed], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items);
    }

    private async Task<(IConversationGrain Grain, string Owner, string Marker)> NewConversation()
    {
        var owner = Requests.NewOwnerId();
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(items: Requests.Item(MessageRole.User, "seed"))));
        return (grain, owner, Guid.NewGuid().ToString("N"));
    }
}
