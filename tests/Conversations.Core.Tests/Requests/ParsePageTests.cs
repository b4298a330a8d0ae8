using Conversations.Core.Requests;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Requests;

public class ParsePageTests
{
    [Theory]
    [InlineData(SortOrder.Descending)]
    [InlineData(SortOrder.Ascending)]
    public void No_query_is_the_first_page_of_20_in_the_route_default_order(SortOrder routeDefault)
    {
        var query = Accepted(ConversationRequests.ParsePage(null, null, null, routeDefault));

        Assert.Equal(new PageQuery(20, routeDefault, ""), query);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("37", 37)]
    [InlineData("007", 7)]
    public void A_limit_from_1_to_100_is_taken(string limit, int expected)
    {
        Assert.Equal(expected, Accepted(ConversationRequests.ParsePage(limit, null, null, SortOrder.Descending)).Limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("abc")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("")]
    [InlineData("5.0")]
    [InlineData("1e1")]
    [InlineData("0x10")]
    [InlineData("99999999999")]
    [InlineData("٥")]
    [InlineData("５")]
    public void A_limit_that_is_not_a_plain_number_from_1_to_100_is_refused(string limit)
    {
        var error = RefusedWith(ConversationRequests.ParsePage(limit, null, null, SortOrder.Descending), "limit", "invalid_value");

        Assert.Contains("between 1 and 100", error.Message);
    }

    [Theory]
    [InlineData("asc", SortOrder.Ascending)]
    [InlineData("desc", SortOrder.Descending)]
    public void Order_is_asc_or_desc(string order, SortOrder expected)
    {
        Assert.Equal(expected, Accepted(ConversationRequests.ParsePage(null, order, null, SortOrder.Descending)).Order);
        Assert.Equal(expected, Accepted(ConversationRequests.ParsePage(null, order, null, SortOrder.Ascending)).Order);
    }

    [Theory]
    [InlineData("ASC")]
    [InlineData("Desc")]
    [InlineData("ascending")]
    [InlineData("")]
    [InlineData(" asc")]
    public void Any_other_order_is_refused(string order)
    {
        RefusedWith(ConversationRequests.ParsePage(null, order, null, SortOrder.Descending), "order", "invalid_value");
    }

    [Fact]
    public void After_names_the_item_the_page_follows()
    {
        Assert.Equal("msg_0a1b2c", Accepted(ConversationRequests.ParsePage(null, null, "msg_0a1b2c", SortOrder.Descending)).After);
    }

    [Fact]
    public void An_empty_after_means_the_first_page()
    {
        Assert.Equal("", Accepted(ConversationRequests.ParsePage(null, null, "", SortOrder.Descending)).After);
    }

    [Theory]
    [InlineData("msg_")]
    [InlineData("msg")]
    [InlineData("_abc")]
    [InlineData("../etc/passwd")]
    [InlineData("msg_abc/def")]
    [InlineData("MSG_abc")]
    [InlineData("msg_abc def")]
    public void A_malformed_after_is_refused(string after)
    {
        RefusedWith(ConversationRequests.ParsePage(null, null, after, SortOrder.Descending), "after", "invalid_value");
    }

    [Fact]
    public void The_limit_is_checked_before_the_order_and_the_cursor()
    {
        RefusedWith(ConversationRequests.ParsePage("0", "sideways", "../x", SortOrder.Descending), "limit", "invalid_value");
    }
}
