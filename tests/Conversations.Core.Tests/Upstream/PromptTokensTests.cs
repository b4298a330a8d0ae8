using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

public sealed class PromptTokensTests
{
    [Fact]
    public void Each_message_costs_its_role_content_and_framing_plus_the_reply_priming()
    {
        static long Characters(string text) => text.Length;

        var total = PromptTokens.Count([new UpstreamMessage("system", "abc"), new UpstreamMessage("user", "hello")], Characters);

        Assert.Equal(3 + (3 + 6 + 3) + (3 + 4 + 5), total);
    }

    [Fact]
    public void No_messages_cost_only_the_priming()
    {
        Assert.Equal(3, PromptTokens.Count([], _ => 100));
    }
}
