using System.Text.Json;
using Conversations.Core.Messages;
using Conversations.Core.Wire;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire;

public class ChatCompletionWireTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_741_944_413);

    private static Core.Responses.ResponseRecord Reply(string content = "Hello there.", string finishReason = "stop")
    {
        var reply = new Core.Items.ReplyInfo(new TokenUsage(12, 3), "gpt-4o-mini", finishReason, "chatcmpl-abc123");
        var output = new Core.Items.MessageItem("msg_9", 2, Core.Items.ItemStatus.Completed, Created, reply, MessageRole.Assistant, [Core.Items.ContentPart.OutputText.Of(content)]);
        var started = Core.Responses.TurnResponses.Started("resp_1", "user_1", "conv_1", null, Created, "gpt-4o-mini", Core.Responses.ResponseSettings.Default, [], false, false);
        return Core.Responses.TurnResponses.Finished(started, [output], reply, Created);
    }

    [Fact]
    public void A_reply_is_written_as_a_chat_completion()
    {
        var json = Of(WireObjects.Completion(Reply()));

        Assert.Equal(["id", "object", "created", "model", "choices", "usage"], Keys(json));
        Assert.Equal("chatcmpl-abc123", json.GetProperty("id").GetString());
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal(1_741_944_413, json.GetProperty("created").GetInt64());
        Assert.Equal("gpt-4o-mini", json.GetProperty("model").GetString());
    }

    [Fact]
    public void The_one_choice_holds_the_assistant_message_with_a_null_refusal()
    {
        var choices = Of(WireObjects.Completion(Reply())).GetProperty("choices");

        var choice = Assert.Single(choices.EnumerateArray());
        Assert.Equal(["index", "message", "logprobs", "finish_reason"], Keys(choice));
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        IsNull(choice, "logprobs");
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());

        var message = choice.GetProperty("message");
        Assert.Equal(["role", "content", "refusal"], Keys(message));
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("Hello there.", message.GetProperty("content").GetString());
        IsNull(message, "refusal");
    }

    [Fact]
    public void Usage_has_prompt_completion_and_total_tokens()
    {
        var usage = Of(WireObjects.Completion(Reply())).GetProperty("usage");

        Assert.Equal(["prompt_tokens", "completion_tokens", "total_tokens"], Keys(usage));
        Assert.Equal((12, 3, 15), (usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64(), usage.GetProperty("total_tokens").GetInt64()));
    }

    [Theory]
    [InlineData("length")]
    [InlineData("content_filter")]
    public void The_finish_reason_is_the_one_the_reply_stopped_with(string finishReason)
    {
        var choice = Of(WireObjects.Completion(Reply(finishReason: finishReason))).GetProperty("choices")[0];

        Assert.Equal(finishReason, choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void A_reply_cut_short_before_a_finish_reason_has_a_null_one()
    {
        var choice = Of(WireObjects.Completion(Reply(finishReason: ""))).GetProperty("choices")[0];

        IsNull(choice, "finish_reason");
    }

    [Fact]
    public void Content_with_unicode_and_markup_reads_back_exactly()
    {
        const string content = "Ça va? 😀 <script>alert(\"x\")</script> & \u2028 \\ end";

        var message = Of(WireObjects.Completion(Reply(content))).GetProperty("choices")[0].GetProperty("message");

        Assert.Equal(content, message.GetProperty("content").GetString());
    }

    [Fact]
    public void The_serializer_context_and_the_helper_write_the_same_bytes()
    {
        var completion = WireObjects.Completion(Reply());

        Assert.Equal(JsonSerializer.Serialize(completion, WireJson.Default.ChatCompletionObject), System.Text.Encoding.UTF8.GetString(WireJson.Serialize(completion)));
    }
}
