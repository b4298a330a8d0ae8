using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Conversations;

public class HistoryTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    /// <summary>Five messages, msg_1 … msg_5, in sequence order.</summary>
    private static readonly ImmutableArray<Item> Five = Make(5);

    private static ImmutableArray<Item> Make(int count) =>
        [.. Enumerable.Range(1, count).Select(i => (Item)new MessageItem($"msg_{i}", i, ItemStatus.Completed, At, null, i % 2 == 1 ? MessageRole.User : MessageRole.Assistant, [new ContentPart.InputText($"m{i}")]))];

    private static (string[] Ids, bool HasMore) Page(ImmutableArray<Item> history, int limit, SortOrder order, string after = "")
    {
        var page = Accepted(History.Page(history, new PageQuery(limit, order, after)));
        return ([.. page.Items.Select(m => m.Id)], page.HasMore);
    }

    private static void AssertPage(string[] expectedIds, bool expectedHasMore, (string[] Ids, bool HasMore) page)
    {
        Assert.Equal(expectedIds, page.Ids);
        Assert.Equal(expectedHasMore, page.HasMore);
    }

    [Fact]
    public void Ascending_pages_start_at_the_oldest_item()
    {
        AssertPage(["msg_1", "msg_2"], true, Page(Five, 2, SortOrder.Ascending));
    }

    [Fact]
    public void Descending_pages_start_at_the_newest_item()
    {
        AssertPage(["msg_5", "msg_4"], true, Page(Five, 2, SortOrder.Descending));
    }

    [Theory]
    [InlineData(SortOrder.Ascending, 4, true)]
    [InlineData(SortOrder.Ascending, 5, false)]
    [InlineData(SortOrder.Ascending, 6, false)]
    [InlineData(SortOrder.Ascending, 100, false)]
    [InlineData(SortOrder.Descending, 4, true)]
    [InlineData(SortOrder.Descending, 5, false)]
    [InlineData(SortOrder.Descending, 6, false)]
    public void Has_more_is_true_only_when_items_are_left_after_the_page(SortOrder order, int limit, bool hasMore)
    {
        var (ids, more) = Page(Five, limit, order);

        Assert.Equal(Math.Min(limit, 5), ids.Length);
        Assert.Equal(hasMore, more);
    }

    [Theory]
    [InlineData("msg_2", 2, new[] { "msg_3", "msg_4" }, true)]
    [InlineData("msg_2", 3, new[] { "msg_3", "msg_4", "msg_5" }, false)]
    [InlineData("msg_2", 4, new[] { "msg_3", "msg_4", "msg_5" }, false)]
    [InlineData("msg_1", 4, new[] { "msg_2", "msg_3", "msg_4", "msg_5" }, false)]
    [InlineData("msg_4", 1, new[] { "msg_5" }, false)]
    [InlineData("msg_5", 3, new string[0], false)]
    public void Ascending_pages_after_an_item_continue_with_newer_items(string after, int limit, string[] expected, bool hasMore)
    {
        AssertPage(expected, hasMore, Page(Five, limit, SortOrder.Ascending, after));
    }

    [Theory]
    [InlineData("msg_4", 2, new[] { "msg_3", "msg_2" }, true)]
    [InlineData("msg_4", 3, new[] { "msg_3", "msg_2", "msg_1" }, false)]
    [InlineData("msg_5", 4, new[] { "msg_4", "msg_3", "msg_2", "msg_1" }, false)]
    [InlineData("msg_2", 1, new[] { "msg_1" }, false)]
    [InlineData("msg_1", 3, new string[0], false)]
    public void Descending_pages_after_an_item_continue_with_older_items(string after, int limit, string[] expected, bool hasMore)
    {
        AssertPage(expected, hasMore, Page(Five, limit, SortOrder.Descending, after));
    }

    [Theory]
    [InlineData(SortOrder.Ascending)]
    [InlineData(SortOrder.Descending)]
    public void An_empty_history_is_an_empty_last_page(SortOrder order)
    {
        AssertPage([], false, Page([], 20, order));
    }

    [Theory]
    [InlineData(SortOrder.Ascending)]
    [InlineData(SortOrder.Descending)]
    public void An_after_id_not_in_the_history_is_refused_rather_than_restarting(SortOrder order)
    {
        var error = RefusedWith(History.Page(Five, new PageQuery(2, order, "msg_9")), "after", "invalid_value");

        Assert.Contains("msg_9", error.Message);
    }

    [Fact]
    public void An_after_id_is_refused_on_an_empty_history()
    {
        RefusedWith(History.Page([], new PageQuery(2, SortOrder.Descending, "msg_1")), "after", "invalid_value");
    }

    [Theory]
    [InlineData(SortOrder.Ascending, 1)]
    [InlineData(SortOrder.Ascending, 2)]
    [InlineData(SortOrder.Ascending, 3)]
    [InlineData(SortOrder.Descending, 1)]
    [InlineData(SortOrder.Descending, 2)]
    [InlineData(SortOrder.Descending, 7)]
    public void Following_last_ids_until_has_more_is_false_reads_every_item_once_in_order(SortOrder order, int limit)
    {
        var history = Make(7);
        var seen = new List<string>();
        var after = "";
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 10, "Paging did not end.");
            var page = Accepted(History.Page(history, new PageQuery(limit, order, after)));
            seen.AddRange(page.Items.Select(m => m.Id));
            if (!page.HasMore)
            {
                break;
            }

            after = page.Items[^1].Id;
        }

        var expected = history.Select(m => m.Id);
        Assert.Equal(order == SortOrder.Ascending ? expected : expected.Reverse(), seen);
    }

    [Fact]
    public void The_first_item_gets_position_1()
    {
        Assert.Equal(1, ConversationState.None.NextSequence);
    }

    [Fact]
    public void The_next_position_follows_the_last_one_ever_taken()
    {
        var loaded = ConversationState.Loaded(new Conversation("conv_1", "u", At, ImmutableSortedDictionary<string, string>.Empty, ConversationSettings.ForModel("m"), ConversationUsage.None), Five, 9, ImmutableDictionary<string, Core.Idempotency.KeyRecord<string>>.Empty, At);

        Assert.Equal(10, loaded.NextSequence);
    }
}
