using Conversations.Core.Messages;
using Conversations.Abstractions.Grains;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Grains.Tests.Harness;
using Conversations.Upstream;

namespace Conversations.Grains.Tests.Conversations;

[Collection(ConversationCollection.Name)]
public sealed class ConversationLifecycleTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_created_conversation_reads_back_with_its_settings_metadata_and_seed_items()
    {
        var owner = Requests.NewOwnerId();
        var id = Requests.NewConversationId();
        var grain = cluster.Grain<IConversationGrain>(id);
        var metadata = Requests.Metadata(("project", "apollo"), ("ticket", "T-42"), ("émoji", "🚀"));

        var created = Expect.Ok(await grain.Create(owner, Requests.Create(
            instructions: "Answer in French.",
            metadata: metadata,
            temperature: 0.25,
            items: [Requests.Item(MessageRole.Developer, "Be terse."), Requests.Item(MessageRole.User, "Bonjour")])));

        Assert.Equal(id, created.Id);
        Assert.Equal(owner, created.OwnerId);
        Assert.Equal(metadata.ToArray(), created.Metadata.ToArray());
        // No model named: the configured upstream's default model.
        Assert.Equal(new ConversationSettings(UpstreamOptions.DefaultUpstreamModel, "Answer in French.", 0.25, null, null), created.Settings);
        Assert.Equal(ConversationUsage.None, created.Usage);

        Expect.SameConversation(created, Expect.Ok(await grain.Get(owner)));
        var items = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal([(1L, MessageRole.Developer, "Be terse."), (2L, MessageRole.User, "Bonjour")], items.Select(m => (m.Sequence, m.Role, m.Content)));

        // A fresh activation loads the same conversation from the store.
        await cluster.DeactivateAsync(grain);
        Expect.SameConversation(created, Expect.Ok(await grain.Get(owner)));
        var reloaded = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Expect.SameItems(items, reloaded);
    }

    [Fact]
    public async Task Update_replaces_the_metadata_and_changes_only_the_settings_it_names()
    {
        var owner = Requests.NewOwnerId();
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        var created = Expect.Ok(await grain.Create(owner, Requests.Create(
            instructions: "Be kind.", metadata: Requests.Metadata(("a", "1"), ("b", "2")), temperature: 0.5)));

        var update = new UpdateConversation(
            Change<System.Collections.Immutable.ImmutableSortedDictionary<string, string>>.To(Requests.Metadata(("c", "3"))),
            SettingsPatch.None with { Temperature = Change<double?>.To(null), MaxTokens = Change<int?>.To(100), Model = Change<string>.To("gpt-4o") });
        var updated = Expect.Ok(await grain.Update(owner, update));

        Assert.Equal([KeyValuePair.Create("c", "3")], updated.Metadata.ToArray());
        Assert.Equal(new ConversationSettings("gpt-4o", "Be kind.", null, null, 100), updated.Settings);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);

        // Settings left out of a patch stay; the change is durable.
        var keepAll = new UpdateConversation(Change<System.Collections.Immutable.ImmutableSortedDictionary<string, string>>.Keep, SettingsPatch.None);
        Expect.SameConversation(updated, Expect.Ok(await grain.Update(owner, keepAll)));
        await cluster.DeactivateAsync(grain);
        Expect.SameConversation(updated, Expect.Ok(await grain.Get(owner)));
    }

    [Fact]
    public async Task A_deleted_conversation_is_gone_for_good()
    {
        var owner = Requests.NewOwnerId();
        var id = Requests.NewConversationId();
        var grain = cluster.Grain<IConversationGrain>(id);
        var created = Expect.Ok(await grain.Create(owner, Requests.Create(items: [Requests.Item(MessageRole.User, "hello")])));

        Expect.SameConversation(created, Expect.Ok(await grain.Delete(owner)));

        Expect.NotFound(await grain.Get(owner));
        Expect.NotFound(await grain.ListItems(owner, Requests.Page()));
        Expect.NotFound(await grain.Delete(owner));
        Assert.Null(await cluster.ConversationStore.LoadAsync(id));
        await cluster.DeactivateAsync(grain);
        Expect.NotFound(await grain.Get(owner));
    }

    [Fact]
    public async Task Items_page_in_both_orders_after_a_given_item()
    {
        var owner = Requests.NewOwnerId();
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(items: [.. Enumerable.Range(1, 5).Select(i => Requests.Item(MessageRole.User, $"item {i}"))])));
        var all = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal(["item 1", "item 2", "item 3", "item 4", "item 5"], all.Select(m => m.Content));

        // Each page as its contents and whether more follow, e.g. "item 1,item 2 +".
        async Task<string> Page(SortOrder order, string after)
        {
            var page = Expect.Ok(await grain.ListItems(owner, Requests.Page(2, order, after)));
            return string.Join(",", page.Items.Select(m => m.Content)) + (page.HasMore ? " +" : "");
        }

        Assert.Equal("item 1,item 2 +", await Page(SortOrder.Ascending, ""));
        Assert.Equal("item 3,item 4 +", await Page(SortOrder.Ascending, all[1].Id));
        Assert.Equal("item 5", await Page(SortOrder.Ascending, all[3].Id));
        Assert.Equal("", await Page(SortOrder.Ascending, all[4].Id));

        Assert.Equal("item 5,item 4 +", await Page(SortOrder.Descending, ""));
        Assert.Equal("item 3,item 2 +", await Page(SortOrder.Descending, all[3].Id));
        Assert.Equal("item 1", await Page(SortOrder.Descending, all[1].Id));

        // An "after" that is not in this conversation is refused, naming the parameter.
        var invalid = Expect.Failure<ItemPage, ConversationError, ConversationError.Invalid>(
            await grain.ListItems(owner, Requests.Page(2, SortOrder.Ascending, "msg_0123456789abcdef")));
        Assert.Equal("after", invalid.Error.Param);
    }

    [Fact]
    public async Task Another_owner_meets_NotFound_everywhere_exactly_as_for_an_id_that_never_existed()
    {
        var owner = Requests.NewOwnerId();
        var stranger = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var theirs = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        var created = Expect.Ok(await theirs.Create(owner, Requests.Create(metadata: Requests.Metadata(("k", "v")), items: [Requests.Item(MessageRole.User, "mine")])));
        var never = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        var update = new UpdateConversation(
            Change<System.Collections.Immutable.ImmutableSortedDictionary<string, string>>.To(Requests.Metadata(("stolen", "yes"))), SettingsPatch.None);

        foreach (var grain in new[] { theirs, never })
        {
            Expect.NotFound(await grain.Get(stranger));
            Expect.NotFound(await grain.Update(stranger, update));
            Expect.NotFound(await grain.ListItems(stranger, Requests.Page()));
            Expect.NotFound(await grain.Send(stranger, Requests.Send($"hi {marker}")));
            Assert.Equal(ConversationError.NotFoundError, Expect.RefusedStream(await TurnEvents.CollectAsync(grain.ChatStream(stranger, Requests.Stream($"hi {marker}")))));
            Expect.NotFound(await grain.Delete(stranger));
        }

        // The owner's conversation is untouched, and the upstream never heard of any of it.
        Expect.SameConversation(created, Expect.Ok(await theirs.Get(owner)));
        Assert.Equal(["mine"], Expect.Ok(await theirs.ListItems(owner, Requests.Page())).Items.Select(m => m.Content));
        Assert.DoesNotContain(cluster.Fake.ChatRequests, r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.Null(await cluster.ConversationStore.LoadAsync(never.GetPrimaryKeyString()));
    }

    [Fact]
    public async Task Creating_over_an_existing_id_is_a_conflict_that_changes_nothing()
    {
        var owner = Requests.NewOwnerId();
        var id = Requests.NewConversationId();
        var grain = cluster.Grain<IConversationGrain>(id);
        var created = Expect.Ok(await grain.Create(owner, Requests.Create(metadata: Requests.Metadata(("first", "yes")))));

        Assert.IsType<ConversationError.Conflict>(Expect.Failure(await grain.Create(owner, Requests.Create(metadata: Requests.Metadata(("second", "yes"))))));
        Assert.IsType<ConversationError.Conflict>(Expect.Failure(await grain.Create(Requests.NewOwnerId(), Requests.Create())));

        Expect.SameConversation(created, Expect.Ok(await grain.Get(owner)));
        // Even a fresh activation, which knows nothing yet, refuses: the store holds the id.
        await cluster.DeactivateAsync(grain);
        Assert.IsType<ConversationError.Conflict>(Expect.Failure(await grain.Create(Requests.NewOwnerId(), Requests.Create())));
        Expect.SameConversation(created, Expect.Ok(await grain.Get(owner)));
    }
}
