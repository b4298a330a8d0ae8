using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Items;

public class ParseInputTests
{
    private static ImmutableArray<Item> Input(string json) => Accepted(ItemRequests.ParseInput(Body(json), "input"));

    private static Item Single(string itemJson) => Assert.Single(Input($"[{itemJson}]"));

    private static MessageItem Message(string itemJson) => Assert.IsType<MessageItem>(Single(itemJson));

    private static ContentPart Part(string role, string partJson) =>
        Assert.Single(Message($$"""{"role":"{{role}}","content":[{{partJson}}]}""").Content);

    private static void Refuses(string json, string param, string code) =>
        RefusedWith(ItemRequests.ParseInput(Body(json), "input"), param, code);

    private static void RefusesItem(string itemJson, string param, string code) =>
        Refuses($$"""[{"role":"user","content":"first"},{{itemJson}}]""", param, code);

    private static void RefusesPart(string role, string partJson, string param, string code) =>
        RefusesItem($$"""{"role":"{{role}}","content":[{"type":"input_text","text":"a"},{{partJson}}]}""", param, code);

    private static MessageItem NewMessage(MessageRole role, params ContentPart[] parts) =>
        new("", 0, ItemStatus.Completed, default, null, role, [.. parts]);

    /// <summary>Items are compared field by field: records compare their ImmutableArrays by reference.</summary>
    private static void AssertMessage(MessageItem expected, Item actual)
    {
        var message = Assert.IsType<MessageItem>(actual);
        Assert.Equal(expected with { Content = [] }, message with { Content = [] });
        Assert.Equal(expected.Content.ToArray(), message.Content.ToArray());
    }

    private static string Json(JsonNode node) => node.ToJsonString();

    [Fact]
    public void A_string_is_one_user_message_of_that_text_with_nothing_assigned_yet()
    {
        var item = Assert.Single(Input("\"What is Orleans?\""));

        AssertMessage(NewMessage(MessageRole.User, new ContentPart.InputText("What is Orleans?")), item);
        Assert.Equal(("", 0L, ItemStatus.Completed, default(DateTimeOffset), (ReplyInfo?)null), (item.Id, item.Sequence, item.Status, item.CreatedAt, item.Reply));
    }

    [Fact]
    public void An_empty_array_is_no_items()
    {
        Assert.Empty(Input("[]"));
    }

    [Fact]
    public void An_empty_string_is_refused()
    {
        Refuses("\"\"", "input", "invalid_value");
    }

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("""{"role":"user","content":"hi"}""")]
    public void Input_that_is_neither_a_string_nor_an_array_is_refused(string json)
    {
        Refuses(json, "input", "invalid_type");
    }

    [Fact]
    public void The_dotnet_sdks_text_input_parses()
    {
        // CreateResponseAsync("gpt-test", "Hi there") sends an array, never a string.
        var items = Input("""[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi there"}]}]""");

        AssertMessage(NewMessage(MessageRole.User, new ContentPart.InputText("Hi there")), Assert.Single(items));
    }

    [Fact]
    public void The_dotnet_sdks_mixed_items_parse_in_order()
    {
        var items = Input("""
            [{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
             {"type":"function_call_output","call_id":"call_1","output":"{\"temp\":20}"},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"earlier answer","annotations":[]}]},
             {"type":"message","role":"developer","content":[{"type":"input_text","text":"dev msg"}]},
             {"type":"message","role":"system","content":[{"type":"input_text","text":"sys msg"}]}]
            """);

        Assert.Equal(5, items.Length);
        Assert.Equal(new FunctionCallItem("", 0, ItemStatus.Completed, default, null, "call_1", "get_weather", """{"city":"Paris"}"""), items[0]);
        Assert.Equal(new FunctionCallOutputItem("", 0, ItemStatus.Completed, default, null, "call_1", """{"temp":20}"""), items[1]);
        AssertMessage(NewMessage(MessageRole.Assistant, ContentPart.OutputText.Of("earlier answer")), items[2]);
        AssertMessage(NewMessage(MessageRole.Developer, new ContentPart.InputText("dev msg")), items[3]);
        AssertMessage(NewMessage(MessageRole.System, new ContentPart.InputText("sys msg")), items[4]);
    }

    [Fact]
    public void An_output_message_sent_back_as_input_parses_and_its_id_and_status_are_not_kept()
    {
        var item = Message("""{"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello!","annotations":[],"logprobs":[]}]}""");

        AssertMessage(NewMessage(MessageRole.Assistant, ContentPart.OutputText.Of("Hello!")), item);
        Assert.Equal("", item.Id);
    }

    [Fact]
    public void The_dotnet_sdks_function_call_sent_back_with_its_id_and_status_parses()
    {
        // What MEAI resends with store: false.
        var item = Single("""{"type":"function_call","id":"fc_1","status":"completed","call_id":"call_1","name":"GetWeather","arguments":"{}"}""");

        Assert.Equal(new FunctionCallItem("", 0, ItemStatus.Completed, default, null, "call_1", "GetWeather", "{}"), item);
    }

    [Fact]
    public void A_function_output_that_is_a_json_string_is_kept_as_sent()
    {
        var item = Single("""{"type":"function_call_output","call_id":"call_1","output":"\"Sunny in Paris\""}""");

        Assert.Equal("\"Sunny in Paris\"", Assert.IsType<FunctionCallOutputItem>(item).Output);
    }

    [Theory]
    [InlineData("user", MessageRole.User)]
    [InlineData("system", MessageRole.System)]
    [InlineData("developer", MessageRole.Developer)]
    public void An_easy_message_with_string_content_is_one_input_text_part(string role, MessageRole expected)
    {
        AssertMessage(NewMessage(expected, new ContentPart.InputText("hi")), Message($$"""{"role":"{{role}}","content":"hi"}"""));
    }

    [Fact]
    public void An_assistant_message_with_string_content_is_one_output_text_part()
    {
        AssertMessage(NewMessage(MessageRole.Assistant, ContentPart.OutputText.Of("hello")), Message("""{"role":"assistant","content":"hello"}"""));
    }

    [Theory]
    [InlineData("""{"role":"user","content":"hi"}""")]
    [InlineData("""{"type":"message","role":"user","content":"hi"}""")]
    [InlineData("""{"type":null,"role":"user","content":"hi"}""")]
    [InlineData("""{"type":"message","role":"user","content":"hi","phase":"final_answer"}""")]
    [InlineData("""{"role":"user","content":"hi","id":"msg_abc","status":"incomplete","phase":"commentary"}""")]
    [InlineData("""{"role":"user","content":"hi","id":null,"status":null,"phase":null}""")]
    public void A_message_may_leave_its_type_out_and_carry_the_fields_the_sdks_send(string item)
    {
        AssertMessage(NewMessage(MessageRole.User, new ContentPart.InputText("hi")), Message(item));
    }

    [Fact]
    public void An_empty_string_content_is_an_empty_text_part()
    {
        AssertMessage(NewMessage(MessageRole.User, new ContentPart.InputText("")), Message("""{"role":"user","content":""}"""));
    }

    [Fact]
    public void Text_parts_keep_their_order_and_unicode()
    {
        var item = Message("""{"role":"user","content":[{"type":"input_text","text":"日本語 😀 "},{"type":"input_text","text":"café\n"}]}""");

        AssertMessage(NewMessage(MessageRole.User, new ContentPart.InputText("日本語 😀 "), new ContentPart.InputText("café\n")), item);
        Assert.Equal("日本語 😀 café\n", item.Text);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("system")]
    [InlineData("developer")]
    public void A_text_part_is_input_text_on_a_user_system_or_developer_message(string role)
    {
        Assert.Equal(new ContentPart.InputText("x"), Part(role, """{"type":"text","text":"x"}"""));
    }

    [Theory]
    [InlineData("input_text")]
    [InlineData("text")]
    public void Plain_text_parts_on_an_assistant_message_are_kept_as_output_text(string type)
    {
        Assert.Equal(ContentPart.OutputText.Of("x"), Part("assistant", $$"""{"type":"{{type}}","text":"x"}"""));
    }

    [Fact]
    public void Output_text_keeps_its_annotations_and_logprobs_as_json()
    {
        var part = Part("assistant", """
            {"type":"output_text","text":"See [1]","annotations":[{"type":"url_citation","url":"https://example.com","start_index":4,"end_index":7,"title":"Ex"}],"logprobs":[{"token":"See","logprob":-0.1,"bytes":[83,101,101],"top_logprobs":[]}]}
            """);

        var output = Assert.IsType<ContentPart.OutputText>(part);
        Assert.Equal("See [1]", output.Text);
        Assert.Equal("""[{"type":"url_citation","url":"https://example.com","start_index":4,"end_index":7,"title":"Ex"}]""", output.AnnotationsJson);
        Assert.Equal("""[{"token":"See","logprob":-0.1,"bytes":[83,101,101],"top_logprobs":[]}]""", output.LogprobsJson);
    }

    [Theory]
    [InlineData("""{"type":"output_text","text":"x"}""")]
    [InlineData("""{"type":"output_text","text":"x","annotations":null,"logprobs":null}""")]
    [InlineData("""{"type":"output_text","text":"x","annotations":[],"logprobs":[]}""")]
    public void Output_text_without_annotations_or_logprobs_has_empty_arrays(string part)
    {
        Assert.Equal(ContentPart.OutputText.Of("x"), Part("assistant", part));
    }

    [Fact]
    public void A_refusal_part_is_kept_on_an_assistant_message()
    {
        Assert.Equal(new ContentPart.Refusal("I can't help with that."), Part("assistant", """{"type":"refusal","refusal":"I can't help with that."}"""));
    }

    [Theory]
    [InlineData("https://example.com/cat.png")]
    [InlineData("http://example.com/cat.png?size=large&x=%20")]
    [InlineData("HTTPS://EXAMPLE.COM/CAT.PNG")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("data:image/jpeg;base64,/9j/4AAQSkZJRg==")]
    [InlineData("DATA:image/webp;name=x.webp;BASE64,UklGRg==")]
    public void An_image_by_http_url_or_data_url_is_kept_with_detail_auto(string url)
    {
        Assert.Equal(new ContentPart.InputImage(url, "auto"), Part("user", Json(new JsonObject { ["type"] = "input_image", ["image_url"] = url })));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("low")]
    [InlineData("high")]
    public void An_image_keeps_its_detail(string detail)
    {
        Assert.Equal(
            new ContentPart.InputImage("https://example.com/a.png", detail),
            Part("user", $$"""{"type":"input_image","image_url":"https://example.com/a.png","detail":"{{detail}}"}"""));
    }

    [Fact]
    public void An_image_with_null_detail_and_file_id_is_read_as_detail_auto()
    {
        Assert.Equal(
            new ContentPart.InputImage("https://example.com/a.png", "auto"),
            Part("user", """{"type":"input_image","image_url":"https://example.com/a.png","detail":null,"file_id":null}"""));
    }

    [Fact]
    public void A_data_url_image_as_large_as_the_body_allows_is_accepted()
    {
        var url = "data:image/png;base64," + Convert.ToBase64String(new byte[6_000_000]);

        var part = Part("user", Json(new JsonObject { ["type"] = "input_image", ["image_url"] = url }));

        Assert.Equal(url, Assert.IsType<ContentPart.InputImage>(part).ImageUrl);
    }

    [Fact]
    public void An_image_address_of_32768_characters_is_accepted_and_one_more_is_refused()
    {
        const string prefix = "https://example.com/?q=";
        var atLimit = prefix + new string('a', 32_768 - prefix.Length);

        Assert.Equal(atLimit, Assert.IsType<ContentPart.InputImage>(Part("user", Json(new JsonObject { ["type"] = "input_image", ["image_url"] = atLimit }))).ImageUrl);
        RefusesPart("user", Json(new JsonObject { ["type"] = "input_image", ["image_url"] = atLimit + "a" }), "input[1].content[1].image_url", "invalid_value");
    }

    [Fact]
    public void A_very_long_image_address_is_refused_as_too_long_not_as_malformed()
    {
        var url = "https://example.com/?q=" + new string('a', 100_000);

        var error = RefusedWith(
            ItemRequests.ParseInput(Body(Json(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "input_image", ["image_url"] = url }) }))), "input"),
            "input[0].content[0].image_url",
            "invalid_value");

        Assert.Contains("too long", error.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/images/a.png")]
    [InlineData("example.com/a.png")]
    [InlineData("not a url")]
    [InlineData("https://")]
    [InlineData("data:text/plain;base64,aGk=")]
    [InlineData("data:image/png,rawbytes")]
    [InlineData("data:image/png;base64,")]
    [InlineData("data:image/png;base64,!!!not base64!!!")]
    [InlineData("data:image/;base64,aGk=")]
    [InlineData("data:;base64,aGk=")]
    [InlineData("data:image/png;base64")]
    public void An_image_url_that_is_neither_an_http_url_nor_a_base64_image_data_url_is_refused(string url)
    {
        RefusesPart("user", Json(new JsonObject { ["type"] = "input_image", ["image_url"] = url }), "input[1].content[1].image_url", "invalid_value");
    }

    [Fact]
    public void An_image_url_written_as_chat_completions_object_is_refused_as_the_wrong_type()
    {
        var error = RefusedWith(
            ItemRequests.ParseInput(Body("""[{"role":"user","content":[{"type":"input_image","image_url":{"url":"https://example.com/a.png"}}]}]"""), "input"),
            "input[0].content[0].image_url",
            "invalid_type");

        Assert.Contains("URL", error.Message);
    }

    [Fact]
    public void An_image_by_file_id_is_refused_saying_to_send_the_image_itself()
    {
        var error = RefusedWith(
            ItemRequests.ParseInput(Body("""[{"role":"user","content":[{"type":"input_image","file_id":"file-abc","detail":"auto"}]}]"""), "input"),
            "input[0].content[0].file_id",
            "invalid_value");

        Assert.Contains("does not store files", error.Message);
        Assert.Contains("image_url", error.Message);
    }

    [Theory]
    [InlineData("""{"type":"input_image"}""", "input[1].content[1].image_url", "missing_required_parameter")]
    [InlineData("""{"type":"input_image","image_url":null}""", "input[1].content[1].image_url", "missing_required_parameter")]
    [InlineData("""{"type":"input_image","image_url":""}""", "input[1].content[1].image_url", "invalid_value")]
    [InlineData("""{"type":"input_image","image_url":"https://a.example/x.png","detail":"medium"}""", "input[1].content[1].detail", "invalid_value")]
    [InlineData("""{"type":"input_image","image_url":"https://a.example/x.png","detail":"HIGH"}""", "input[1].content[1].detail", "invalid_value")]
    [InlineData("""{"type":"input_image","image_url":"https://a.example/x.png","detail":1}""", "input[1].content[1].detail", "invalid_type")]
    [InlineData("""{"type":"input_image","image_url":"https://a.example/x.png","url":"x"}""", "input[1].content[1].url", "unknown_parameter")]
    public void A_bad_image_part_is_refused_naming_the_field(string part, string param, string code)
    {
        RefusesPart("user", part, param, code);
    }

    [Theory]
    [InlineData("JVBERi0xLjQK")]
    [InlineData("data:application/pdf;base64,JVBERi0xLjQK")]
    public void A_file_sent_inline_is_kept_with_its_name(string data)
    {
        Assert.Equal(
            new ContentPart.InputFile(data, "report.pdf"),
            Part("user", $$"""{"type":"input_file","file_data":"{{data}}","filename":"report.pdf"}"""));
    }

    [Theory]
    [InlineData("file_id", "file-abc")]
    [InlineData("file_url", "https://example.com/report.pdf")]
    public void A_file_by_id_or_url_is_refused_saying_to_send_its_content(string field, string value)
    {
        var error = RefusedWith(
            ItemRequests.ParseInput(Body($$"""[{"role":"user","content":[{"type":"input_file","{{field}}":"{{value}}","filename":"r.pdf"}]}]"""), "input"),
            $"input[0].content[0].{field}",
            "invalid_value");

        Assert.Contains("file_data", error.Message);
    }

    [Theory]
    [InlineData("""{"type":"input_file","filename":"r.pdf"}""", "input[1].content[1].file_data", "missing_required_parameter")]
    [InlineData("""{"type":"input_file","file_data":"JVBERi0=","filename":null}""", "input[1].content[1].filename", "missing_required_parameter")]
    [InlineData("""{"type":"input_file","file_data":"JVBERi0="}""", "input[1].content[1].filename", "missing_required_parameter")]
    [InlineData("""{"type":"input_file","file_data":"JVBERi0=","filename":""}""", "input[1].content[1].filename", "invalid_value")]
    [InlineData("""{"type":"input_file","file_data":"not base64!","filename":"r.pdf"}""", "input[1].content[1].file_data", "invalid_value")]
    [InlineData("""{"type":"input_file","file_data":"data:application/pdf,raw","filename":"r.pdf"}""", "input[1].content[1].file_data", "invalid_value")]
    [InlineData("""{"type":"input_file","file_data":"","filename":"r.pdf"}""", "input[1].content[1].file_data", "invalid_value")]
    [InlineData("""{"type":"input_file","file_data":5,"filename":"r.pdf"}""", "input[1].content[1].file_data", "invalid_type")]
    [InlineData("""{"type":"input_file","file_data":"JVBERi0=","filename":"r.pdf","mime":"x"}""", "input[1].content[1].mime", "unknown_parameter")]
    public void A_bad_file_part_is_refused_naming_the_field(string part, string param, string code)
    {
        RefusesPart("user", part, param, code);
    }

    [Fact]
    public void A_filename_of_512_characters_is_accepted_and_one_more_is_refused()
    {
        var atLimit = new string('f', 512);

        Assert.Equal(atLimit, Assert.IsType<ContentPart.InputFile>(Part("user", $$"""{"type":"input_file","file_data":"aGk=","filename":"{{atLimit}}"}""")).Filename);
        RefusesPart("user", $$"""{"type":"input_file","file_data":"aGk=","filename":"{{atLimit}}f"}""", "input[1].content[1].filename", "invalid_value");
    }

    [Theory]
    [InlineData("user", """{"type":"output_text","text":"x"}""")]
    [InlineData("user", """{"type":"refusal","refusal":"x"}""")]
    [InlineData("system", """{"type":"output_text","text":"x"}""")]
    [InlineData("developer", """{"type":"refusal","refusal":"x"}""")]
    [InlineData("assistant", """{"type":"input_image","image_url":"https://a.example/x.png"}""")]
    [InlineData("assistant", """{"type":"input_file","file_data":"aGk=","filename":"a.txt"}""")]
    [InlineData("system", """{"type":"input_image","image_url":"https://a.example/x.png"}""")]
    [InlineData("developer", """{"type":"input_file","file_data":"aGk=","filename":"a.txt"}""")]
    [InlineData("user", """{"type":"image_url","image_url":{"url":"https://a.example/x.png"}}""")]
    [InlineData("user", """{"type":"input_audio","input_audio":{}}""")]
    [InlineData("assistant", """{"type":"summary_text","text":"x"}""")]
    public void A_part_the_role_cannot_carry_is_refused_naming_its_type(string role, string part)
    {
        RefusesPart(role, part, "input[1].content[1].type", "invalid_value");
    }

    [Fact]
    public void An_image_in_a_system_message_is_refused_saying_why()
    {
        var error = Refused(ItemRequests.ParseInput(Body("""[{"role":"system","content":[{"type":"input_image","image_url":"https://a.example/x.png"}]}]"""), "input"));

        Assert.Contains("user message", error.Message);
    }

    [Theory]
    [InlineData("""["hello"]""", "input[1].content[0]", "invalid_type")]
    [InlineData("""[{"text":"hello"}]""", "input[1].content[0].type", "missing_required_parameter")]
    [InlineData("""[{"type":null,"text":"hello"}]""", "input[1].content[0].type", "missing_required_parameter")]
    [InlineData("""[{"type":5,"text":"hello"}]""", "input[1].content[0].type", "invalid_type")]
    [InlineData("""[{"type":"input_text"}]""", "input[1].content[0].text", "missing_required_parameter")]
    [InlineData("""[{"type":"input_text","text":7}]""", "input[1].content[0].text", "invalid_type")]
    [InlineData("""[{"type":"input_text","text":"a","annotations":[]}]""", "input[1].content[0].annotations", "unknown_parameter")]
    [InlineData("""[]""", "input[1].content", "invalid_value")]
    [InlineData("""7""", "input[1].content", "invalid_type")]
    [InlineData("""{"type":"input_text","text":"a"}""", "input[1].content", "invalid_type")]
    public void Bad_user_content_is_refused_naming_its_path(string content, string param, string code)
    {
        RefusesItem($$"""{"role":"user","content":{{content}}}""", param, code);
    }

    [Theory]
    [InlineData("""[{"type":"output_text"}]""", "input[1].content[0].text", "missing_required_parameter")]
    [InlineData("""[{"type":"output_text","text":"a","annotations":{}}]""", "input[1].content[0].annotations", "invalid_type")]
    [InlineData("""[{"type":"output_text","text":"a","annotations":"[]"}]""", "input[1].content[0].annotations", "invalid_type")]
    [InlineData("""[{"type":"output_text","text":"a","logprobs":5}]""", "input[1].content[0].logprobs", "invalid_type")]
    [InlineData("""[{"type":"output_text","text":"a","parsed":{}}]""", "input[1].content[0].parsed", "unknown_parameter")]
    [InlineData("""[{"type":"refusal"}]""", "input[1].content[0].refusal", "missing_required_parameter")]
    [InlineData("""[{"type":"refusal","refusal":false}]""", "input[1].content[0].refusal", "invalid_type")]
    [InlineData("""[{"type":"refusal","refusal":"no","text":"no"}]""", "input[1].content[0].text", "unknown_parameter")]
    public void Bad_assistant_content_is_refused_naming_its_path(string content, string param, string code)
    {
        RefusesItem($$"""{"role":"assistant","content":{{content}}}""", param, code);
    }

    [Theory]
    [InlineData("""{"content":"hi"}""", "input[1].role", "missing_required_parameter")]
    [InlineData("""{"role":null,"content":"hi"}""", "input[1].role", "invalid_type")]
    [InlineData("""{"role":"critic","content":"hi"}""", "input[1].role", "invalid_value")]
    [InlineData("""{"role":"User","content":"hi"}""", "input[1].role", "invalid_value")]
    [InlineData("""{"role":1,"content":"hi"}""", "input[1].role", "invalid_type")]
    [InlineData("""{"role":"user"}""", "input[1].content", "missing_required_parameter")]
    [InlineData("""{"role":"user","content":null}""", "input[1].content", "missing_required_parameter")]
    [InlineData("""{"role":"user","content":"hi","name":"ana"}""", "input[1].name", "unknown_parameter")]
    [InlineData("""{"role":"user","content":"hi","id":5}""", "input[1].id", "invalid_type")]
    [InlineData("""{"role":"user","content":"hi","status":"done"}""", "input[1].status", "invalid_value")]
    [InlineData("""{"role":"user","content":"hi","phase":"final"}""", "input[1].phase", "invalid_value")]
    [InlineData("""{"type":5,"role":"user","content":"hi"}""", "input[1].type", "invalid_type")]
    public void A_bad_message_is_refused_naming_its_path(string item, string param, string code)
    {
        RefusesItem(item, param, code);
    }

    [Fact]
    public void A_tool_role_message_is_refused_pointing_at_function_call_output()
    {
        var error = Refused(ItemRequests.ParseInput(Body("""[{"role":"tool","content":"42","tool_call_id":"call_1"}]"""), "input"));

        // Unknown fields are found first; without them the role is named.
        Assert.Equal(("input[0].tool_call_id", "unknown_parameter"), (error.Param, error.Code));
        var roleError = RefusedWith(ItemRequests.ParseInput(Body("""[{"role":"tool","content":"42"}]"""), "input"), "input[0].role", "invalid_value");
        Assert.Contains("function_call_output", roleError.Message);
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("3")]
    public void An_item_that_is_not_an_object_is_refused_naming_its_index(string item)
    {
        RefusesItem(item, "input[1]", "invalid_type");
    }

    [Fact]
    public void A_function_call_output_may_be_input_text_parts_joined_into_one_string()
    {
        var item = Single("""{"type":"function_call_output","call_id":"call_9","output":[{"type":"input_text","text":"{\"temp\":"},{"type":"input_text","text":"20}"}]}""");

        Assert.Equal(new FunctionCallOutputItem("", 0, ItemStatus.Completed, default, null, "call_9", """{"temp":20}"""), item);
    }

    [Theory]
    [InlineData("\"\"", "")]
    [InlineData("[]", "")]
    public void An_empty_function_output_is_kept_as_an_empty_string(string output, string expected)
    {
        var item = Single($$"""{"type":"function_call_output","call_id":"c","output":{{output}}}""");

        Assert.Equal(expected, Assert.IsType<FunctionCallOutputItem>(item).Output);
    }

    [Fact]
    public void Function_call_arguments_are_kept_as_written_even_when_not_json()
    {
        var item = Single("""{"type":"function_call","call_id":"c","name":"f","arguments":"{not json"}""");

        Assert.Equal("{not json", Assert.IsType<FunctionCallItem>(item).Arguments);
    }

    [Fact]
    public void Empty_function_call_arguments_are_accepted()
    {
        Assert.Equal("", Assert.IsType<FunctionCallItem>(Single("""{"type":"function_call","call_id":"c","name":"f","arguments":""}""")).Arguments);
    }

    [Theory]
    [InlineData("""{"type":"function_call","name":"f","arguments":"{}"}""", "input[1].call_id", "missing_required_parameter")]
    [InlineData("""{"type":"function_call","call_id":"","name":"f","arguments":"{}"}""", "input[1].call_id", "invalid_value")]
    [InlineData("""{"type":"function_call","call_id":7,"name":"f","arguments":"{}"}""", "input[1].call_id", "invalid_type")]
    [InlineData("""{"type":"function_call","call_id":"c","arguments":"{}"}""", "input[1].name", "missing_required_parameter")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"get weather","arguments":"{}"}""", "input[1].name", "invalid_value")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"ns.tool","arguments":"{}"}""", "input[1].name", "invalid_value")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"","arguments":"{}"}""", "input[1].name", "invalid_value")]
    [InlineData("""{"type":"function_call","call_id":"c","name":["f"],"arguments":"{}"}""", "input[1].name", "invalid_type")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"f"}""", "input[1].arguments", "missing_required_parameter")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"f","arguments":{"city":"Paris"}}""", "input[1].arguments", "invalid_type")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"f","arguments":"{}","status":"failed"}""", "input[1].status", "invalid_value")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"f","arguments":"{}","id":{}}""", "input[1].id", "invalid_type")]
    [InlineData("""{"type":"function_call","call_id":"c","name":"f","arguments":"{}","role":"assistant"}""", "input[1].role", "unknown_parameter")]
    [InlineData("""{"type":"function_call_output","output":"x"}""", "input[1].call_id", "missing_required_parameter")]
    [InlineData("""{"type":"function_call_output","call_id":"c"}""", "input[1].output", "missing_required_parameter")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":null}""", "input[1].output", "missing_required_parameter")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":42}""", "input[1].output", "invalid_type")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":{"temp":20}}""", "input[1].output", "invalid_type")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":["x"]}""", "input[1].output[0]", "invalid_type")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":[{"text":"x"}]}""", "input[1].output[0].type", "missing_required_parameter")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":[{"type":"input_image","image_url":"https://a.example/x.png"}]}""", "input[1].output[0].type", "invalid_value")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":[{"type":"input_text"}]}""", "input[1].output[0].text", "missing_required_parameter")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"x","extra":1}]}""", "input[1].output[0].extra", "unknown_parameter")]
    [InlineData("""{"type":"function_call_output","call_id":"c","output":"x","name":"f"}""", "input[1].name", "unknown_parameter")]
    public void A_bad_function_call_or_output_is_refused_naming_its_path(string item, string param, string code)
    {
        RefusesItem(item, param, code);
    }

    [Fact]
    public void A_function_name_of_64_characters_is_accepted_and_65_are_refused()
    {
        var atLimit = new string('f', 64);

        Assert.Equal(atLimit, Assert.IsType<FunctionCallItem>(Single($$"""{"type":"function_call","call_id":"c","name":"{{atLimit}}","arguments":"{}"}""")).Name);
        RefusesItem($$"""{"type":"function_call","call_id":"c","name":"{{atLimit}}f","arguments":"{}"}""", "input[1].name", "invalid_value");
    }

    [Fact]
    public void A_call_id_of_256_characters_is_accepted_and_257_are_refused()
    {
        var atLimit = new string('c', 256);

        Assert.Equal(atLimit, Assert.IsType<FunctionCallOutputItem>(Single($$"""{"type":"function_call_output","call_id":"{{atLimit}}","output":"x"}""")).CallId);
        RefusesItem($$"""{"type":"function_call_output","call_id":"{{atLimit}}c","output":"x"}""", "input[1].call_id", "invalid_value");
    }

    [Theory]
    [InlineData("reasoning")]
    [InlineData("item_reference")]
    [InlineData("web_search_call")]
    [InlineData("file_search_call")]
    [InlineData("computer_call")]
    [InlineData("computer_call_output")]
    [InlineData("code_interpreter_call")]
    [InlineData("image_generation_call")]
    [InlineData("local_shell_call")]
    [InlineData("local_shell_call_output")]
    [InlineData("shell_call")]
    [InlineData("apply_patch_call")]
    [InlineData("mcp_list_tools")]
    [InlineData("mcp_approval_request")]
    [InlineData("mcp_approval_response")]
    [InlineData("mcp_call")]
    [InlineData("custom_tool_call")]
    [InlineData("custom_tool_call_output")]
    [InlineData("tool_search_call")]
    [InlineData("Message")]
    [InlineData("")]
    public void An_item_type_with_no_chat_completions_equivalent_is_refused_naming_its_type(string type)
    {
        RefusesItem($$"""{"type":"{{type}}","id":"x","summary":[]}""", "input[1].type", "invalid_value");
    }

    [Theory]
    [InlineData("reasoning")]
    [InlineData("mcp_call")]
    [InlineData("something_new")]
    public void The_refusal_of_an_item_type_explains_that_chat_completions_has_no_equivalent(string type)
    {
        var error = Refused(ItemRequests.ParseInput(Body($$"""[{"type":"{{type}}"}]"""), "input"));

        Assert.Contains($"'{type}'", error.Message);
        Assert.Contains("Chat Completions", error.Message);
    }

    [Fact]
    public void An_item_reference_is_refused_pointing_at_the_ways_to_continue()
    {
        // The .NET SDK's CreateReferenceItem.
        var error = RefusedWith(ItemRequests.ParseInput(Body("""[{"type":"item_reference","id":"msg_ref"}]"""), "input"), "input[0].type", "invalid_value");

        Assert.Contains("previous_response_id", error.Message);
    }

    [Fact]
    public void Message_text_of_four_million_characters_is_accepted_and_one_more_is_refused()
    {
        var atLimit = new string('a', 4_000_000);
        Message(Json(new JsonObject { ["role"] = "user", ["content"] = atLimit }));

        Refuses(Json(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = atLimit + "a" })), "input[0].content", "invalid_value");
        Refuses(Json(atLimit + "a"), "input", "invalid_value");
    }

    [Fact]
    public void Text_parts_over_four_million_characters_together_are_refused_naming_the_content()
    {
        var parts = new JsonArray(
            new JsonObject { ["type"] = "output_text", ["text"] = new string('a', 2_000_000) },
            new JsonObject { ["type"] = "refusal", ["refusal"] = new string('b', 2_000_001) });

        Refuses(Json(new JsonArray(new JsonObject { ["role"] = "assistant", ["content"] = parts })), "input[0].content", "invalid_value");
    }

    [Fact]
    public void Function_arguments_and_outputs_of_four_million_characters_are_accepted_and_one_more_is_refused()
    {
        var atLimit = new string('x', 4_000_000);
        JsonObject Call(string arguments) => new() { ["type"] = "function_call", ["call_id"] = "c", ["name"] = "f", ["arguments"] = arguments };
        JsonObject Output(JsonNode output) => new() { ["type"] = "function_call_output", ["call_id"] = "c", ["output"] = output };

        Assert.Equal(2, Input(Json(new JsonArray(Call(atLimit), Output(atLimit)))).Length);
        Refuses(Json(new JsonArray(Call(atLimit + "x"))), "input[0].arguments", "invalid_value");
        Refuses(Json(new JsonArray(Output(atLimit + "x"))), "input[0].output", "invalid_value");
        Refuses(
            Json(new JsonArray(Output(new JsonArray(
                new JsonObject { ["type"] = "input_text", ["text"] = atLimit },
                new JsonObject { ["type"] = "input_text", ["text"] = "x" })))),
            "input[0].output",
            "invalid_value");
    }

    [Theory]
    [InlineData("\"a\\u0000b\"", "input")]
    [InlineData("""[{"role":"user","content":"a\u0000"}]""", "input[0].content")]
    [InlineData("""[{"role":"user","content":[{"type":"input_text","text":"\u0000"}]}]""", "input[0].content[0].text")]
    [InlineData("""[{"role":"assistant","content":[{"type":"output_text","text":"ok","annotations":[{"title":"\u0000"}]}]}]""", "input[0].content[0].annotations")]
    [InlineData("""[{"role":"assistant","content":[{"type":"output_text","text":"ok","logprobs":[{"tok\u0000en":"a"}]}]}]""", "input[0].content[0].logprobs")]
    [InlineData("""[{"role":"assistant","content":[{"type":"refusal","refusal":"\u0000"}]}]""", "input[0].content[0].refusal")]
    [InlineData("""[{"role":"user","content":[{"type":"input_image","image_url":"https://a.example/\u0000.png"}]}]""", "input[0].content[0].image_url")]
    [InlineData("""[{"role":"user","content":[{"type":"input_file","file_data":"aGk=","filename":"a\u0000.txt"}]}]""", "input[0].content[0].filename")]
    [InlineData("""[{"type":"function_call","call_id":"c\u0000","name":"f","arguments":"{}"}]""", "input[0].call_id")]
    [InlineData("""[{"type":"function_call","call_id":"c","name":"f","arguments":"{\u0000}"}]""", "input[0].arguments")]
    [InlineData("""[{"type":"function_call_output","call_id":"c","output":"\u0000"}]""", "input[0].output")]
    [InlineData("""[{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"\u0000"}]}]""", "input[0].output[0].text")]
    public void The_nul_character_is_refused_wherever_it_would_be_stored(string json, string param)
    {
        Refuses(json, param, "invalid_value");
    }

    [Fact]
    public void The_param_names_the_path_the_caller_gives()
    {
        RefusedWith(ItemRequests.ParseInput(Body("""[{"role":"user","content":7}]"""), "items"), "items[0].content", "invalid_type");
    }
}
