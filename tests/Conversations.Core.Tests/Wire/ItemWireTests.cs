using System.Text.Json;
using Conversations.Core.Messages;
using Conversations.Core.Wire;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire;

public class ItemWireTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_741_944_413);

    private static Core.Items.Item Input(MessageRole role, string content = "Hello", string id = "msg_1") =>
        new Core.Items.MessageItem(id, 1, Core.Items.ItemStatus.Completed, At, null, role, [new Core.Items.ContentPart.InputText(content)]);

    private static Core.Items.Item Assistant(string content = "Hi!", Core.Items.ItemStatus status = Core.Items.ItemStatus.Completed) =>
        new Core.Items.MessageItem("msg_2", 2, status, At, new Core.Items.ReplyInfo(new TokenUsage(5, 2), "gpt-4o-mini", "stop", "chatcmpl-1"), MessageRole.Assistant, [Core.Items.ContentPart.OutputText.Of(content)]);

    [Theory]
    [InlineData(MessageRole.User, "user")]
    [InlineData(MessageRole.System, "system")]
    [InlineData(MessageRole.Developer, "developer")]
    public void What_people_wrote_is_an_input_text_message(MessageRole role, string wireRole)
    {
        var json = Of(ItemWire.InConversation(Input(role)));

        // The discriminator comes first: System.Text.Json writes it from the item's kind.
        Assert.Equal(["type", "id", "role", "status", "content", "created_at"], Keys(json));
        Assert.Equal(("msg_1", "message", wireRole, "completed"), (json.GetProperty("id").GetString(), json.GetProperty("type").GetString(), json.GetProperty("role").GetString(), json.GetProperty("status").GetString()));
        Assert.Equal(1_741_944_413, json.GetProperty("created_at").GetInt64());
        var part = Assert.Single(json.GetProperty("content").EnumerateArray());
        Assert.Equal(["type", "text"], Keys(part));
        Assert.Equal(("input_text", "Hello"), (part.GetProperty("type").GetString(), part.GetProperty("text").GetString()));
    }

    [Fact]
    public void What_the_model_wrote_is_an_output_text_message_with_empty_annotations_and_logprobs()
    {
        var json = Of(ItemWire.InConversation(Assistant()));

        Assert.Equal("assistant", json.GetProperty("role").GetString());
        var part = Assert.Single(json.GetProperty("content").EnumerateArray());
        // logprobs joined annotations for the Responses API, whose spec requires both (and the .NET SDK refuses a null in either).
        Assert.Equal(["type", "text", "annotations", "logprobs"], Keys(part));
        Assert.Equal(("output_text", "Hi!"), (part.GetProperty("type").GetString(), part.GetProperty("text").GetString()));
        Assert.Equal(JsonValueKind.Array, part.GetProperty("annotations").ValueKind);
        Assert.Equal(0, part.GetProperty("annotations").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, part.GetProperty("logprobs").ValueKind);
        Assert.Equal(0, part.GetProperty("logprobs").GetArrayLength());
    }

    [Fact]
    public void A_reply_cut_short_is_an_incomplete_item_with_what_arrived()
    {
        var json = Of(ItemWire.InConversation(Assistant("Partial ans", Core.Items.ItemStatus.Incomplete)));

        Assert.Equal("incomplete", json.GetProperty("status").GetString());
        Assert.Equal("Partial ans", json.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Item_text_reads_back_exactly()
    {
        const string content = "日本語 😀 \"q\" \\ </p> \u0000 \t";

        var json = Of(ItemWire.InConversation(Input(MessageRole.User, content)));

        Assert.Equal(content, json.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void An_empty_list_has_null_first_and_last_ids()
    {
        var json = Of(WireObjects.List<ItemObject>([], i => i.Id, hasMore: false));

        Assert.Equal(["object", "data", "first_id", "last_id", "has_more"], Keys(json));
        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.Equal(0, json.GetProperty("data").GetArrayLength());
        IsNull(json, "first_id");
        IsNull(json, "last_id");
        Assert.False(json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public void A_list_names_its_first_and_last_items()
    {
        ItemObject[] data = [ItemWire.InConversation(Input(MessageRole.User, id: "msg_a")), ItemWire.InConversation(Input(MessageRole.User, id: "msg_b")), ItemWire.InConversation(Input(MessageRole.User, id: "msg_c"))];

        var json = Of(WireObjects.List(data, i => i.Id, hasMore: true));

        Assert.Equal(("msg_a", "msg_c"), (json.GetProperty("first_id").GetString(), json.GetProperty("last_id").GetString()));
        Assert.True(json.GetProperty("has_more").GetBoolean());
        Assert.Equal(["msg_a", "msg_b", "msg_c"], json.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Fact]
    public void A_list_of_one_names_it_as_first_and_last()
    {
        var json = Of(WireObjects.List([ItemWire.InConversation(Input(MessageRole.User, id: "msg_only"))], i => i.Id, hasMore: false));

        Assert.Equal(("msg_only", "msg_only"), (json.GetProperty("first_id").GetString(), json.GetProperty("last_id").GetString()));
    }
}
