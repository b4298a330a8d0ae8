using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Tests.Wire.Responses;
using Conversations.Core.Wire;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire;

/// <summary>Every kind of item and content part, exactly as written.</summary>
public class ItemKindWireTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_741_944_413);

    private static MessageItem Message(MessageRole role, params ContentPart[] parts) =>
        new("msg_1", 1, ItemStatus.Completed, At, null, role, [.. parts]);

    private static string Json(ItemObject item) => System.Text.Encoding.UTF8.GetString(WireJson.Serialize(item));

    [Fact]
    public void A_user_message_with_every_input_part_is_written_in_openais_shape()
    {
        var item = Message(
            MessageRole.User,
            new ContentPart.InputText("What is in these?"),
            new ContentPart.InputImage("data:image/png;base64,iVBORw0KGgo=", "low"),
            new ContentPart.InputImage("https://example.com/cat.jpg", "auto"),
            new ContentPart.InputFile("data:application/pdf;base64,JVBERi0=", "report.pdf"));

        Assert.Equal(
            """{"type":"message","id":"msg_1","role":"user","status":"completed","content":[{"type":"input_text","text":"What is in these?"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"},{"type":"input_image","image_url":"https://example.com/cat.jpg","detail":"auto"},{"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0=","filename":"report.pdf"}]}""",
            Json(ItemWire.Of(item)));
    }

    [Fact]
    public void An_assistant_message_writes_output_text_and_refusal_parts()
    {
        var item = Message(MessageRole.Assistant, ContentPart.OutputText.Of("Sure."), new ContentPart.Refusal("But not that."));

        Assert.Equal(
            """{"type":"message","id":"msg_1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Sure.","annotations":[],"logprobs":[]},{"type":"refusal","refusal":"But not that."}]}""",
            Json(ItemWire.Of(item)));
    }

    [Fact]
    public void Annotations_and_logprobs_kept_from_a_client_are_written_back_as_json_arrays()
    {
        const string annotations = """[{"type":"url_citation","start_index":0,"end_index":3,"url":"https://a.example","title":"A \"quoted\" title"}]""";
        const string logprobs = """[{"token":"Yes","logprob":-0.01,"bytes":[89,101,115],"top_logprobs":[]}]""";
        var item = Message(MessageRole.Assistant, new ContentPart.OutputText("Yes", annotations, logprobs));

        var part = Of(ItemWire.Of(item)).GetProperty("content")[0];

        Assert.Equal(annotations, part.GetProperty("annotations").GetRawText());
        Assert.Equal(logprobs, part.GetProperty("logprobs").GetRawText());
    }

    [Theory]
    [InlineData(MessageRole.System, "system")]
    [InlineData(MessageRole.Developer, "developer")]
    [InlineData(MessageRole.User, "user")]
    [InlineData(MessageRole.Assistant, "assistant")]
    public void Each_role_is_written_by_its_wire_name(MessageRole role, string name)
    {
        Assert.Equal(name, Of(ItemWire.Of(Message(role, new ContentPart.InputText("x")))).GetProperty("role").GetString());
    }

    [Theory]
    [InlineData(ItemStatus.Completed, "completed")]
    [InlineData(ItemStatus.Incomplete, "incomplete")]
    [InlineData(ItemStatus.InProgress, "in_progress")]
    public void Each_item_status_is_written_by_openais_name(ItemStatus status, string name)
    {
        Assert.Equal(name, ItemWire.Status(status));
        Assert.Equal(name, Of(ItemWire.Of(ResponseSamples.Call("fc_1", "call_1", "f", "{}", status))).GetProperty("status").GetString());
    }

    [Fact]
    public void A_function_call_is_written_with_its_arguments_as_a_string()
    {
        var call = new FunctionCallItem("fc_1", 3, ItemStatus.Completed, At, null, "call_abc", "get_weather", """{"city":"Paris"}""");

        Assert.Equal(
            """{"type":"function_call","id":"fc_1","call_id":"call_abc","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"}""",
            Json(ItemWire.Of(call)));
    }

    [Fact]
    public void A_function_call_output_is_written_with_its_output_as_a_string()
    {
        var output = new FunctionCallOutputItem("fco_1", 4, ItemStatus.Completed, At, null, "call_abc", """{"temp":20}""");

        Assert.Equal(
            """{"type":"function_call_output","id":"fco_1","call_id":"call_abc","output":"{\"temp\":20}","status":"completed"}""",
            Json(ItemWire.Of(output)));
    }

    [Fact]
    public void Conversation_lists_add_created_at_to_every_kind_of_item()
    {
        Item[] items =
        [
            Message(MessageRole.User, new ContentPart.InputText("Hi")),
            new FunctionCallItem("fc_1", 2, ItemStatus.Completed, At, null, "call_1", "f", "{}"),
            new FunctionCallOutputItem("fco_1", 3, ItemStatus.Completed, At, null, "call_1", "ok"),
        ];

        foreach (var item in items)
        {
            var listed = Of(ItemWire.InConversation(item));
            var plain = Of(ItemWire.Of(item));

            Assert.Equal(1_741_944_413, listed.GetProperty("created_at").GetInt64());
            Assert.Equal([.. Keys(plain), "created_at"], Keys(listed));
            Assert.False(plain.TryGetProperty("created_at", out _));
        }
    }

    [Fact]
    public void Type_is_written_first_and_exactly_once_in_items_and_parts()
    {
        var item = Message(MessageRole.Assistant, ContentPart.OutputText.Of("type"), new ContentPart.Refusal("type"));
        var json = Json(ItemWire.Of(item));

        Assert.Equal(3, json.Split("\"type\":").Length - 1);
        Assert.StartsWith("""{"type":"message",""", json, StringComparison.Ordinal);
        Assert.All(Of(ItemWire.Of(item)).GetProperty("content").EnumerateArray(), part => Assert.Equal("type", Keys(part)[0]));
    }

    [Fact]
    public void Every_kind_of_item_meets_the_dotnet_sdks_rules()
    {
        Item[] items =
        [
            Message(MessageRole.User, new ContentPart.InputText("a"), new ContentPart.InputImage("https://x/y.png", "high"), new ContentPart.InputFile("ZGF0YQ==", "a.txt")),
            Message(MessageRole.Assistant, ContentPart.OutputText.Of("b"), new ContentPart.Refusal("c")),
            ResponseSamples.Call("fc_1", "call_1", "f", "{}"),
            new FunctionCallOutputItem("fco_1", 3, ItemStatus.Incomplete, At, null, "call_1", ""),
        ];

        Assert.All(items, item => Assert.Empty(DotNetSdkRules.Item(Of(ItemWire.InConversation(item)))));
    }

    [Fact]
    public void A_list_of_mixed_items_is_written_with_each_items_own_shape()
    {
        ItemObject[] data =
        [
            ItemWire.InConversation(Message(MessageRole.User, new ContentPart.InputText("Weather?"))),
            ItemWire.InConversation(new FunctionCallItem("fc_1", 2, ItemStatus.Completed, At, null, "call_1", "get_weather", "{}")),
        ];

        var json = Of(WireObjects.List(data, i => i.Id, hasMore: false));

        Assert.Equal(["message", "function_call"], json.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(("msg_1", "fc_1"), (json.GetProperty("first_id").GetString(), json.GetProperty("last_id").GetString()));
    }

    [Fact]
    public void Text_with_quotes_and_non_ascii_is_written_unescaped_and_reads_back_exactly()
    {
        const string text = "Zoë said \"ok\" — 😀 <b>";
        var json = Json(ItemWire.Of(Message(MessageRole.User, new ContentPart.InputText(text))));

        // Relaxed escaping, as elsewhere; characters outside the basic plane (the emoji) are still \u-escaped.
        Assert.Contains("Zoë said \\\"ok\\\" — ", json, StringComparison.Ordinal);
        Assert.Contains(" <b>", json, StringComparison.Ordinal);
        Assert.Equal(text, Of(ItemWire.Of(Message(MessageRole.User, new ContentPart.InputText(text)))).GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Parts_keep_their_order()
    {
        ImmutableArray<ContentPart> parts = [new ContentPart.InputText("1"), new ContentPart.InputText("2"), new ContentPart.InputText("3")];

        var content = Of(ItemWire.Of(Message(MessageRole.User, [.. parts]))).GetProperty("content");

        Assert.Equal(["1", "2", "3"], content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}
