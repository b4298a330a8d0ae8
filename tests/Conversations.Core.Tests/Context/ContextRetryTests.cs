using Conversations.Core.Context;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Context;

/// <summary>After the upstream refuses a fitted context as too long, the retry fits into a budget tighter by what the upstream's count says.</summary>
public sealed class ContextRetryTests
{
    private static readonly UpstreamError OpenAiRefusal = new UpstreamError.BadRequest(
        "This model's maximum context length is 1000 tokens. However, your messages resulted in 1250 tokens. Please reduce the length of the messages.",
        "messages", "context_length_exceeded");

    [Fact]
    public void Openai_and_vllm_refusals_are_recognised_and_other_400s_are_not()
    {
        Assert.True(ContextRetry.IsContextRefusal(OpenAiRefusal));
        Assert.True(ContextRetry.IsContextRefusal(new UpstreamError.BadRequest(
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion).", null, null)));
        Assert.False(ContextRetry.IsContextRefusal(new UpstreamError.BadRequest("Invalid 'temperature'.", "temperature", "invalid_value")));
        Assert.False(ContextRetry.IsContextRefusal(new UpstreamError.ServerError("maximum context length is 5 tokens", 500)));
    }

    [Fact]
    public void The_budget_shrinks_by_the_upstreams_count_over_ours_with_a_margin_when_that_is_tighter()
    {
        var farOff = new UpstreamError.BadRequest(
            "This model's maximum context length is 1000 tokens. However, your messages resulted in 2000 tokens. Please reduce the length of the messages.",
            "messages", "context_length_exceeded");

        // We counted 900 where the upstream read 2000 into a window of 1000: 900 × 1000/2000 × 0.95 = 427.
        Assert.Equal(427, ContextRetry.TighterBudget(budget: 950, counted: 900, farOff));
        // Read 1250: 684 would be looser than a quarter off (675).
        Assert.Equal(675, ContextRetry.TighterBudget(budget: 950, counted: 900, OpenAiRefusal));
    }

    [Fact]
    public void Without_the_upstreams_figures_the_budget_shrinks_by_a_quarter_of_what_was_sent()
    {
        var bare = new UpstreamError.BadRequest("Too long.", null, "context_length_exceeded");

        Assert.Equal(675, ContextRetry.TighterBudget(budget: 950, counted: 900, bare));
        Assert.Equal(750, ContextRetry.TighterBudget(budget: null, counted: 1000, bare));
    }

    [Fact]
    public void The_budget_always_shrinks_by_at_least_a_quarter()
    {
        var close = new UpstreamError.BadRequest(
            "This model's maximum context length is 1000 tokens. However, your messages resulted in 1001 tokens.", null, "context_length_exceeded");

        Assert.Equal(600, ContextRetry.TighterBudget(budget: 800, counted: 800, close));
    }
}
