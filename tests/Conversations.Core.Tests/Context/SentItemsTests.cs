using System.Collections.Immutable;
using Conversations.Core.Context;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Core.Tests.Context;

/// <summary>A response's input items are what its model saw: its own input when nothing was left out, else exactly what was sent.</summary>
public sealed class SentItemsTests
{
    private static readonly DateTimeOffset At = new(2025, 7, 4, 12, 0, 0, TimeSpan.Zero);

    private static MessageItem Message(string id, MessageRole role) =>
        new(id, 0, ItemStatus.Completed, At, null, role, [new ContentPart.InputText(id)]);

    private static ResponseRecord Response(ImmutableArray<Item> input, string? leftOutBefore) =>
        new("resp_1", "user_1", "conv_1", null, At, At, ResponseStatus.Completed, "gpt-4o", ResponseSettings.Default, input, [], null, null, null, true, false)
        {
            LeftOutBefore = leftOutBefore,
        };

    private static readonly ImmutableArray<Item> Context =
        [Message("a", MessageRole.User), Message("sys", MessageRole.System), Message("b", MessageRole.Assistant), Message("dev", MessageRole.Developer), Message("c", MessageRole.User), Message("d", MessageRole.Assistant)];

    [Fact]
    public void With_nothing_left_out_they_are_the_responses_own_input()
    {
        Assert.Equal(["in"], SentItems.Of(Response([Message("in", MessageRole.User)], null), Context).Select(i => i.Id));
    }

    [Fact]
    public void With_the_oldest_left_out_they_are_the_kept_system_and_developer_messages_then_everything_from_the_cut_on()
    {
        var sent = SentItems.Of(Response([Message("in", MessageRole.User)], "c"), Context);

        Assert.Equal(["sys", "dev", "c", "d", "in"], sent.Select(i => i.Id));
    }

    [Fact]
    public void A_cut_inside_the_input_leaves_out_the_inputs_oldest_items_too()
    {
        var sent = SentItems.Of(Response([Message("in1", MessageRole.User), Message("in2", MessageRole.Assistant), Message("in3", MessageRole.User)], "in3"), Context);

        Assert.Equal(["sys", "dev", "in3"], sent.Select(i => i.Id));
    }

    [Fact]
    public void When_the_first_item_sent_was_deleted_since_the_own_input_is_what_is_left()
    {
        Assert.Equal(["in"], SentItems.Of(Response([Message("in", MessageRole.User)], "gone"), Context).Select(i => i.Id));
    }
}
