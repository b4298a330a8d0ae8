using Conversations.Core.Conversations;
using Conversations.Core.Messages;

namespace Conversations.Core.Tests.Conversations;

public class ConversationUsageTests
{
    [Fact]
    public void A_new_conversation_has_used_nothing()
    {
        Assert.Equal((0L, 0L, 0L, 0L), (ConversationUsage.None.Requests, ConversationUsage.None.Tokens.PromptTokens, ConversationUsage.None.Tokens.CompletionTokens, ConversationUsage.None.Tokens.TotalTokens));
    }

    [Fact]
    public void Each_turn_adds_one_request_and_its_tokens()
    {
        var usage = ConversationUsage.None
            .AddTurn(new TokenUsage(100, 20))
            .AddTurn(new TokenUsage(150, 5));

        Assert.Equal(new ConversationUsage(2, new TokenUsage(250, 25)), usage);
        Assert.Equal(275, usage.Tokens.TotalTokens);
    }

    [Fact]
    public void A_turn_without_tokens_still_counts_as_a_request()
    {
        Assert.Equal(new ConversationUsage(1, TokenUsage.Zero), ConversationUsage.None.AddTurn(TokenUsage.Zero));
    }

    [Fact]
    public void Token_totals_beyond_32_bits_do_not_wrap()
    {
        var usage = new ConversationUsage(1, new TokenUsage(int.MaxValue, int.MaxValue)).AddTurn(new TokenUsage(int.MaxValue, 1));

        Assert.Equal(3L * int.MaxValue + 1, usage.Tokens.TotalTokens);
    }
}
