using System.Text.Json.Nodes;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Items;

public class ParseItemsTests
{
    private static string Items(int count) =>
        new JsonArray([.. Enumerable.Range(0, count).Select(i => new JsonObject { ["role"] = "user", ["content"] = $"m{i}" })]).ToJsonString();

    [Fact]
    public void The_dotnet_sdks_conversation_items_parse()
    {
        // ConversationCreationOptions { Items = { user "hello conv", assistant "hi back" } }
        var items = Accepted(ItemRequests.ParseItems(
            Body("""[{"type":"message","role":"user","content":[{"type":"input_text","text":"hello conv"}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"hi back","annotations":[]}]}]"""),
            "items",
            0,
            20));

        Assert.Equal(
            [(MessageRole.User, "hello conv"), (MessageRole.Assistant, "hi back")],
            items.Cast<MessageItem>().Select(m => (m.Role, m.Text)).ToArray());
        Assert.Equal(ContentPart.OutputText.Of("hi back"), ((MessageItem)items[1]).Content.Single());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    public void From_none_to_twenty_items_may_create_a_conversation(int count)
    {
        var items = Accepted(ItemRequests.ParseItems(Body(Items(count)), "items", 0, 20));

        Assert.Equal(count, items.Length);
    }

    [Fact]
    public void Twenty_one_items_are_refused_saying_how_many_are_allowed()
    {
        var error = RefusedWith(ItemRequests.ParseItems(Body(Items(21)), "items", 0, 20), "items", "invalid_value");

        Assert.Contains("20", error.Message);
        Assert.Contains("21", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public void From_one_to_twenty_items_may_be_appended(int count)
    {
        Assert.Equal(count, Accepted(ItemRequests.ParseItems(Body(Items(count)), "items", 1, 20)).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void Appending_no_items_or_more_than_twenty_is_refused(int count)
    {
        var error = RefusedWith(ItemRequests.ParseItems(Body(Items(count)), "items", 1, 20), "items", "invalid_value");

        Assert.Contains("1 to 20", error.Message);
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("{}")]
    [InlineData("null")]
    public void Items_that_are_not_an_array_are_refused(string json)
    {
        RefusedWith(ItemRequests.ParseItems(Body(json), "items", 0, 20), "items", "invalid_type");
    }

    [Fact]
    public void Appending_items_reads_the_items_of_the_body()
    {
        var items = Accepted(ItemRequests.ParseCreateItems(Body("""
            {"items":[
              {"type":"message","role":"user","content":[{"type":"input_text","text":"What is the weather?"}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"sunny"}
            ]}
            """)));

        Assert.Equal(3, items.Length);
        Assert.IsType<MessageItem>(items[0]);
        Assert.Equal("get_weather", Assert.IsType<FunctionCallItem>(items[1]).Name);
        Assert.Equal("sunny", Assert.IsType<FunctionCallOutputItem>(items[2]).Output);
    }

    [Theory]
    [InlineData("{}", "items", "missing_required_parameter")]
    [InlineData("""{"items":null}""", "items", "missing_required_parameter")]
    [InlineData("""{"items":[]}""", "items", "invalid_value")]
    [InlineData("""{"items":{}}""", "items", "invalid_type")]
    [InlineData("""{"items":[{"role":"user","content":"hi"}],"include":[]}""", "include", "unknown_parameter")]
    [InlineData("""{"items":[{"role":"user","content":"hi"},{"type":"reasoning","summary":[]}]}""", "items[1].type", "invalid_value")]
    [InlineData("""{"items":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}""", "items[0].content[0].file_id", "invalid_value")]
    [InlineData("[]", "", "invalid_type")]
    public void A_bad_append_body_is_refused_naming_the_field(string json, string param, string code)
    {
        RefusedWith(ItemRequests.ParseCreateItems(Body(json)), param, code);
    }
}
