using Conversations.Core.Context;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Context;

/// <summary>
/// Fitting a context into its window: what fits is sent whole; over the budget, <c>disabled</c> refuses and
/// <c>auto</c> leaves out the oldest messages, but never system or developer messages, never the newest input,
/// and never a tool call without its result.
/// </summary>
public sealed class ContextFitTests
{
    private static readonly UpstreamMessage Ask = new("user", "question");
    private static readonly UpstreamMessage Answer = new("assistant", "answer");

    [Fact]
    public void A_context_exactly_at_the_budget_is_sent_whole_and_one_token_more_is_refused_when_truncation_is_disabled()
    {
        UpstreamMessage[] messages = [Ask, Answer, Ask];
        long[] tokens = [10, 20, 30];

        Assert.Equal(new FittedContext(0, 65), ContextFit.Fit(messages, tokens, 2, 5, budget: 65, Truncation.Disabled).AsT0);
        Assert.Equal(new ContextTooLong(65, 64), ContextFit.Fit(messages, tokens, 2, 5, budget: 64, Truncation.Disabled).AsT1);
    }

    [Fact]
    public void An_unknown_window_fits_anything()
    {
        Assert.Equal(new FittedContext(0, 1_000_005), ContextFit.Fit([Ask], [1_000_000], 0, 5, budget: null, Truncation.Disabled).AsT0);
    }

    [Fact]
    public void Auto_leaves_out_the_fewest_oldest_messages_that_make_the_rest_fit()
    {
        UpstreamMessage[] messages = [Ask, Answer, Ask, Answer, Ask];
        long[] tokens = [10, 10, 10, 10, 10];

        // 5 fixed + 50: one message too many for 45, two for 35.
        Assert.Equal(new FittedContext(1, 45), ContextFit.Fit(messages, tokens, 4, 5, budget: 45, Truncation.Auto).AsT0);
        Assert.Equal(new FittedContext(2, 35), ContextFit.Fit(messages, tokens, 4, 5, budget: 44, Truncation.Auto).AsT0);
        Assert.Equal(new FittedContext(4, 15), ContextFit.Fit(messages, tokens, 4, 5, budget: 15, Truncation.Auto).AsT0);
    }

    [Fact]
    public void The_newest_input_is_never_left_out_so_a_context_that_only_fits_without_it_is_refused()
    {
        UpstreamMessage[] messages = [Ask, Answer, Ask];
        long[] tokens = [10, 10, 50];

        var refused = ContextFit.Fit(messages, tokens, 2, 5, budget: 40, Truncation.Auto).AsT1;

        Assert.Equal(new ContextTooLong(55, 40), refused);
    }

    [Fact]
    public void System_and_developer_messages_are_kept_when_older_messages_around_them_are_left_out()
    {
        UpstreamMessage[] messages = [new("system", "rules"), Ask, Answer, new("developer", "more rules"), Ask, Answer, Ask];
        long[] tokens = [7, 10, 10, 3, 10, 10, 10];

        // 60 in all; leaving out the first exchange (20) fits 40, and both pinned messages stay counted.
        var fitted = ContextFit.Fit(messages, tokens, 6, 0, budget: 40, Truncation.Auto).AsT0;

        Assert.Equal(new FittedContext(3, 40), fitted);
        Assert.True(ContextFit.IsPinned(messages[0]));
        Assert.True(ContextFit.IsPinned(messages[3]));
    }

    [Fact]
    public void A_tool_call_and_its_result_are_left_out_together()
    {
        var call = new UpstreamMessage("assistant", "") { ToolCalls = [new UpstreamToolCall("call_1", "lookup", "{}"), new UpstreamToolCall("call_2", "lookup", "{}")] };
        UpstreamMessage[] messages = [Ask, call, UpstreamMessage.ToolResult("call_1", "a"), UpstreamMessage.ToolResult("call_2", "b"), Answer, Ask];
        long[] tokens = [10, 10, 10, 10, 10, 10];

        // 60 in all. Leaving out the ask and the call alone (20) would fit 40, but would send results without their call:
        // the cut moves past both results, to the answer.
        var fitted = ContextFit.Fit(messages, tokens, 5, 0, budget: 40, Truncation.Auto).AsT0;

        Assert.Equal(new FittedContext(4, 20), fitted);
    }

    [Fact]
    public void A_result_far_from_its_call_keeps_everything_between_them_together()
    {
        var call = new UpstreamMessage("assistant", "") { ToolCalls = [new UpstreamToolCall("call_9", "slow", "{}")] };
        UpstreamMessage[] messages = [call, Ask, Answer, UpstreamMessage.ToolResult("call_9", "done"), Ask];
        long[] tokens = [10, 10, 10, 10, 10];

        // Any cut from 1 to 3 would part the call from its result; the first allowed cut is 4.
        Assert.Equal(new FittedContext(4, 10), ContextFit.Fit(messages, tokens, 4, 0, budget: 45, Truncation.Auto).AsT0);
    }

    [Fact]
    public void A_result_in_the_newest_input_keeps_its_call_even_when_that_means_refusing()
    {
        var call = new UpstreamMessage("assistant", "") { ToolCalls = [new UpstreamToolCall("call_7", "f", "{}")] };
        UpstreamMessage[] messages = [Ask, Answer, Ask, call, UpstreamMessage.ToolResult("call_7", "out")];
        long[] tokens = [10, 10, 10, 10, 10];

        Assert.Equal(new FittedContext(3, 20), ContextFit.Fit(messages, tokens, 4, 0, budget: 25, Truncation.Auto).AsT0);
        Assert.Equal(new ContextTooLong(20, 19), ContextFit.Fit(messages, tokens, 4, 0, budget: 19, Truncation.Auto).AsT1);
    }

    [Fact]
    public void The_fixed_part_alone_over_the_budget_is_refused_with_what_it_has_at_the_least()
    {
        UpstreamMessage[] messages = [Ask, Answer, Ask];
        long[] tokens = [10, 10, 10];

        Assert.Equal(new ContextTooLong(110, 50), ContextFit.Fit(messages, tokens, 2, 100, budget: 50, Truncation.Auto).AsT1);
        Assert.Equal(new ContextTooLong(130, 0), ContextFit.Fit(messages, tokens, 2, 100, budget: -20, Truncation.Disabled).AsT1);
    }
}
