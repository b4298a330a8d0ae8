using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>An owner's list of conversations: order, pages with <c>after</c> and <c>has_more</c>, and isolation between owners.</summary>
public abstract class OwnerListBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    private const string Owner = "owner-ada";
    private const string OtherOwner = "owner-bob";

    [Fact]
    public async Task Newest_first_pages_through_the_owners_conversations()
    {
        var mine = await CreateInterleavedAsync(5);

        var first = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(2, SortOrder.Descending, ""));
        var second = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(2, SortOrder.Descending, first.Items[^1].Id));
        var third = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(2, SortOrder.Descending, second.Items[^1].Id));

        Expect.SameConversations([mine[4], mine[3]], first.Items);
        Assert.True(first.HasMore);
        Expect.SameConversations([mine[2], mine[1]], second.Items);
        Assert.True(second.HasMore);
        Expect.SameConversations([mine[0]], third.Items);
        Assert.False(third.HasMore);
    }

    [Fact]
    public async Task Oldest_first_pages_through_the_owners_conversations()
    {
        var mine = await CreateInterleavedAsync(5);

        var first = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(3, SortOrder.Ascending, ""));
        var second = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(3, SortOrder.Ascending, first.Items[^1].Id));

        Expect.SameConversations(mine.Take(3), first.Items);
        Assert.True(first.HasMore);
        Expect.SameConversations(mine.Skip(3), second.Items);
        Assert.False(second.HasMore);
    }

    [Fact]
    public async Task Insertion_order_decides_the_list_not_the_creation_time()
    {
        // Clocks on different silos disagree; the list follows the order conversations were stored in.
        var later = Samples.Conversation(Owner, createdAt: Samples.Start.AddHours(1));
        var earlier = Samples.Conversation(Owner, createdAt: Samples.Start);
        await Store.Conversations.CreateAsync(later, []);
        await Store.Conversations.CreateAsync(earlier, []);

        var page = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(10, SortOrder.Descending, ""));

        Assert.Equal([earlier.Id, later.Id], page.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_conversation_has_no_more()
    {
        var mine = await CreateInterleavedAsync(4);

        var first = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(2, SortOrder.Ascending, ""));
        var second = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(2, SortOrder.Ascending, first.Items[^1].Id));
        var whole = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(4, SortOrder.Descending, ""));

        Assert.True(first.HasMore);
        Expect.SameConversations(mine.Skip(2), second.Items);
        Assert.False(second.HasMore);
        Expect.SameConversations(mine.AsEnumerable().Reverse(), whole.Items);
        Assert.False(whole.HasMore);
    }

    [Fact]
    public async Task Owners_see_only_their_own_conversations()
    {
        var mine = await CreateInterleavedAsync(3);

        var theirs = await Store.Conversations.ListByOwnerAsync(OtherOwner, new PageQuery(100, SortOrder.Ascending, ""));
        var nobodys = await Store.Conversations.ListByOwnerAsync("owner-nobody", new PageQuery(100, SortOrder.Ascending, ""));
        var ours = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(100, SortOrder.Ascending, ""));

        Assert.All(theirs.Items, c => Assert.Equal(OtherOwner, c.OwnerId));
        Assert.Equal(3, theirs.Items.Length);
        Assert.Empty(nobodys.Items);
        Assert.False(nobodys.HasMore);
        Expect.SameConversations(mine, ours.Items);
    }

    [Fact]
    public async Task After_a_conversation_that_is_not_the_owners_gives_an_empty_page()
    {
        await CreateInterleavedAsync(3);
        var someoneElses = (await Store.Conversations.ListByOwnerAsync(OtherOwner, new PageQuery(1, SortOrder.Descending, ""))).Items[0];

        foreach (var order in new[] { SortOrder.Ascending, SortOrder.Descending })
        {
            var afterForeign = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(10, order, someoneElses.Id));
            var afterUnknown = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(10, order, "conv_unknown"));

            Assert.Empty(afterForeign.Items);
            Assert.False(afterForeign.HasMore);
            Assert.Empty(afterUnknown.Items);
            Assert.False(afterUnknown.HasMore);
        }
    }

    [Fact]
    public async Task Deleted_conversations_leave_the_list()
    {
        var mine = await CreateInterleavedAsync(3);
        await Store.Conversations.DeleteAsync(mine[1].Id);

        var page = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(10, SortOrder.Ascending, ""));

        Expect.SameConversations([mine[0], mine[2]], page.Items);
    }

    [Fact]
    public async Task Listed_conversations_carry_their_current_usage()
    {
        var conversation = Samples.Conversation(Owner);
        await Store.Conversations.CreateAsync(conversation, []);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 1, new TokenUsage(8, 9))));

        var page = await Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(10, SortOrder.Descending, ""));

        Expect.SameConversations([conversation with { Usage = new ConversationUsage(1, new TokenUsage(8, 9)) }], page.Items);
    }

    [Fact]
    public async Task A_limit_below_one_is_a_caller_error()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Store.Conversations.ListByOwnerAsync(Owner, new PageQuery(0, SortOrder.Descending, "")));
    }

    /// <summary>Creates <paramref name="count"/> of the owner's conversations, each followed by one of another owner's.</summary>
    /// <returns>The owner's, oldest first.</returns>
    private async Task<List<Conversation>> CreateInterleavedAsync(int count)
    {
        var mine = new List<Conversation>();
        for (var i = 0; i < count; i++)
        {
            var conversation = Samples.Conversation(Owner, createdAt: Samples.Start.AddMinutes(i));
            Assert.True(await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, $"hello {i}")]));
            Assert.True(await Store.Conversations.CreateAsync(Samples.Conversation(OtherOwner), []));
            mine.Add(conversation);
        }

        return mine;
    }
}
