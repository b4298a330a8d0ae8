using Conversations.Core.Responses;
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

    private static long Characters(string text) => text.Length;

    [Fact]
    public void Text_parts_count_once_through_the_content_and_images_and_files_at_a_flat_rate()
    {
        var message = new UpstreamMessage("user", "ab")
        {
            Parts =
            [
                new UpstreamContentPart.Text("a"),
                new UpstreamContentPart.ImageUrl("https://example.com/a.png", "auto"),
                new UpstreamContentPart.ImageUrl("https://example.com/b.png", "low"),
                new UpstreamContentPart.File("data:application/pdf;base64,JVBE", "c.pdf"),
                new UpstreamContentPart.Text("b"),
            ],
        };

        Assert.Equal(
            3 + (3 + 4 + 2) + PromptTokens.ImageTokens + PromptTokens.LowDetailImageTokens + PromptTokens.FileTokens,
            PromptTokens.Count([message], Characters));
    }

    [Fact]
    public void Tool_calls_cost_their_name_and_arguments_and_a_tool_result_its_content()
    {
        var calls = new UpstreamMessage("assistant", "ok") { ToolCalls = [new UpstreamToolCall("call_1", "f", "{}"), new UpstreamToolCall("call_2", "gh", "[1]")] };
        var result = UpstreamMessage.ToolResult("call_1", "done");

        Assert.Equal(3 + (3 + 9 + 2) + (3 + 1 + 2) + (3 + 2 + 3), PromptTokens.Count([calls], Characters));
        Assert.Equal(3 + (3 + 4 + 4), PromptTokens.Count([result], Characters));
    }

    [Fact]
    public void A_refusal_costs_its_text()
    {
        Assert.Equal(3 + (3 + 9 + 0) + 3, PromptTokens.Count([new UpstreamMessage("assistant", "") { Refusal = "No." }], Characters));
    }

    [Fact]
    public void A_request_costs_its_messages_and_the_tools_it_offers_as_openai_counts_them()
    {
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", "hi")], null, null, null, false)
        {
            Tools = [new FunctionTool("f", "Does f.", """{"type":"object"}""", null), new FunctionTool("g", null, null, null)],
        };

        // Model "m" reads o200k_base: 7 to start each function, its "name:description" (the final period dropped),
        // no properties to count, and 12 to close the list.
        Assert.Equal(PromptTokens.Count(request.Messages, Characters) + (7 + "f:Does f".Length) + (7 + "g:".Length) + 12, PromptTokens.Count(request, Characters));
        Assert.Equal(PromptTokens.Count(request.Messages, Characters), PromptTokens.Count(request with { Tools = [] }, Characters));
    }
}
