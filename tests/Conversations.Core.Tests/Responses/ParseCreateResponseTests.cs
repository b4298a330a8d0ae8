using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Responses;

public class ParseCreateResponseTests
{
    private const string UserHi = """[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi there"}]}]""";

    private static CreateResponse Create(string json) => Accepted(ResponseRequests.ParseCreate(Body(json)));

    /// <summary>A body of <c>input</c> plus the given fields (<c>"temperature":1</c>).</summary>
    private static CreateResponse With(string fields) => Create($$"""{"input":"hi",{{fields}}}""");

    private static ValidationErrorAssert Refuses(string json, string param, string code) =>
        new(RefusedWith(ResponseRequests.ParseCreate(Body(json)), param, code));

    private static ValidationErrorAssert RefusesWith(string fields, string param, string code) =>
        Refuses($$"""{"input":"hi",{{fields}}}""", param, code);

    internal sealed record ValidationErrorAssert(ValidationError Error)
    {
        public void Saying(params string[] fragments)
        {
            foreach (var fragment in fragments)
            {
                Assert.Contains(fragment, Error.Message);
            }
        }
    }

    /// <summary>Settings compared field by field: records compare their collections by reference.</summary>
    private static void AssertSettings(ResponseSettings expected, ResponseSettings actual)
    {
        var empty = ImmutableSortedDictionary<string, string>.Empty;
        Assert.Equal(expected with { Tools = [], Metadata = empty }, actual with { Tools = [], Metadata = empty });
        Assert.Equal(expected.Tools.ToArray(), actual.Tools.ToArray());
        Assert.Equal(expected.Metadata.ToArray(), actual.Metadata.ToArray());
    }

    [Fact]
    public void The_dotnet_sdks_simplest_request_has_every_default()
    {
        var request = Create($$"""{"model":"gpt-test","input":{{UserHi}}}""");

        Assert.Equal("gpt-test", request.Model);
        var message = Assert.IsType<MessageItem>(Assert.Single(request.Input));
        Assert.Equal((MessageRole.User, "Hi there"), (message.Role, message.Text));
        Assert.Equal((null, null, true, false, false), (request.ConversationId, request.PreviousResponseId, request.Store, request.Stream, request.Background));
        AssertSettings(ResponseSettings.Default, request.Settings);
        Assert.Empty(request.Include);
    }

    [Fact]
    public void A_string_input_is_one_user_message()
    {
        var request = Create("""{"model":"gpt-4o","input":"Tell me a joke"}""");

        var message = Assert.IsType<MessageItem>(Assert.Single(request.Input));
        Assert.Equal([new ContentPart.InputText("Tell me a joke")], message.Content.ToArray());
        Assert.Equal(MessageRole.User, message.Role);
    }

    [Fact]
    public void A_request_without_a_model_leaves_the_choice_to_the_service()
    {
        Assert.Null(Create("""{"input":"hi"}""").Model);
        Assert.Null(Create("""{"input":"hi","model":null}""").Model);
    }

    [Fact]
    public void The_dotnet_sdks_request_with_everything_set_parses()
    {
        var request = Create("""
            {"model":"gpt-test","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}],
             "conversation":{"id":"conv_123"},"store":true,"instructions":"Be brief.",
             "tools":[{"type":"function","name":"get_weather","description":"Weather by city","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":false}],
             "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false,
             "max_output_tokens":256,"max_tool_calls":3,"top_logprobs":2,"temperature":0.5,"top_p":0.9,
             "text":{"format":{"type":"json_schema","description":"A city","name":"city","schema":{"type":"object"},"strict":true}},
             "reasoning":{"effort":"low","summary":"auto"},"truncation":"auto","metadata":{"k":"v"},
             "user":"end-user-1","safety_identifier":"hashed-user","background":true,
             "include":["reasoning.encrypted_content"],"service_tier":"auto","prompt_cache_key":"cache-1",
             "prompt_cache_retention":"24h","stream":true}
            """);

        Assert.Equal(("gpt-test", "conv_123", (string?)null, true, true, true), (request.Model, request.ConversationId, request.PreviousResponseId, request.Store, request.Stream, request.Background));
        Assert.Equal(["reasoning.encrypted_content"], request.Include.ToArray());
        AssertSettings(
            new ResponseSettings(
                "Be brief.", 0.5, 0.9, 256,
                [new FunctionTool("get_weather", "Weather by city", """{"type":"object","properties":{"city":{"type":"string"}}}""", false)],
                new ToolChoice.Function("get_weather"),
                false,
                new TextFormat.JsonSchema("city", """{"type":"object"}""", "A city", true),
                "low",
                Truncation.Auto,
                ImmutableSortedDictionary<string, string>.Empty.Add("k", "v"),
                "end-user-1",
                "hashed-user",
                "cache-1"),
            request.Settings);
    }

    [Fact]
    public void The_dotnet_sdks_chain_of_items_parses_with_its_previous_response()
    {
        var request = Create("""
            {"previous_response_id":"resp_prev","model":"gpt-test","input":[
             {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
             {"type":"function_call_output","call_id":"call_1","output":"{\"temp\":20}"},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"earlier answer","annotations":[]}]},
             {"type":"message","role":"developer","content":[{"type":"input_text","text":"dev msg"}]},
             {"type":"message","role":"system","content":[{"type":"input_text","text":"sys msg"}]}]}
            """);

        Assert.Equal("resp_prev", request.PreviousResponseId);
        Assert.Equal(
            [typeof(FunctionCallItem), typeof(FunctionCallOutputItem), typeof(MessageItem), typeof(MessageItem), typeof(MessageItem)],
            request.Input.Select(i => i.GetType()).ToArray());
    }

    [Fact]
    public void The_dotnet_sdks_item_reference_is_refused_naming_it()
    {
        Refuses("""{"previous_response_id":"resp_prev","input":[{"type":"message","role":"user","content":"a"},{"type":"item_reference","id":"msg_ref"}]}""", "input[1].type", "invalid_value");
    }

    [Fact]
    public void The_function_tool_round_trip_of_microsoft_extensions_ai_parses()
    {
        const string tools = """[{"type":"function","name":"GetWeather","description":"Gets the weather","parameters":{"type":"object","required":["city"],"properties":{"city":{"type":"string"}},"additionalProperties":false},"strict":null}]""";

        var first = Create($$"""{"model":"m","tools":{{tools}},"tool_choice":"auto","parallel_tool_calls":false,"input":{{UserHi}}}""");
        var second = Create($$"""{"previous_response_id":"resp_fc1","model":"m","tools":{{tools}},"input":[{"type":"function_call_output","call_id":"call_1","output":"\"Sunny in Paris\""}]}""");

        var tool = Assert.Single(first.Settings.Tools);
        Assert.Equal(("GetWeather", "Gets the weather", (bool?)null), (tool.Name, tool.Description, tool.Strict));
        Assert.Contains("additionalProperties", tool.ParametersJson);
        Assert.Equal((ToolChoice.Auto, false), (first.Settings.ToolChoice, first.Settings.ParallelToolCalls));
        Assert.Equal("resp_fc1", second.PreviousResponseId);
        Assert.Equal("\"Sunny in Paris\"", Assert.IsType<FunctionCallOutputItem>(Assert.Single(second.Input)).Output);
    }

    [Fact]
    public void A_json_schema_format_without_strict_parses_as_microsoft_extensions_ai_sends_it()
    {
        var request = With("""
            "text":{"format":{"type":"json_schema","name":"Answer","schema":{"type":"object","properties":{"x":{"type":"integer"}}}}}
            """);

        Assert.Equal(new TextFormat.JsonSchema("Answer", """{"type":"object","properties":{"x":{"type":"integer"}}}""", null, null), request.Settings.Text);
    }

    [Theory]
    [InlineData("\"conv_abc123\"")]
    [InlineData("""{"id":"conv_abc123"}""")]
    public void A_conversation_is_named_by_its_id_or_an_object_holding_it(string conversation)
    {
        var request = Create($$"""{"conversation":{{conversation}},"input":"hi"}""");

        Assert.Equal("conv_abc123", request.ConversationId);
    }

    [Theory]
    [InlineData("42", "conversation", "invalid_type")]
    [InlineData("[\"conv_1\"]", "conversation", "invalid_type")]
    [InlineData("\"\"", "conversation", "invalid_value")]
    [InlineData("\"resp_abc\"", "conversation", "invalid_value")]
    [InlineData("\"conv_a-b\"", "conversation", "invalid_value")]
    [InlineData("{}", "conversation.id", "missing_required_parameter")]
    [InlineData("""{"id":null}""", "conversation.id", "missing_required_parameter")]
    [InlineData("""{"id":7}""", "conversation.id", "invalid_type")]
    [InlineData("""{"id":"abc"}""", "conversation.id", "invalid_value")]
    [InlineData("""{"id":"conv_1","name":"x"}""", "conversation.name", "unknown_parameter")]
    public void A_bad_conversation_is_refused_naming_the_field(string conversation, string param, string code)
    {
        Refuses($$"""{"conversation":{{conversation}},"input":"hi"}""", param, code);
    }

    [Theory]
    [InlineData("42", "invalid_type")]
    [InlineData("\"\"", "invalid_value")]
    [InlineData("\"conv_abc\"", "invalid_value")]
    [InlineData("\"resp_\"", "invalid_value")]
    [InlineData("\"resp_../../x\"", "invalid_value")]
    public void A_malformed_previous_response_id_is_refused(string id, string code)
    {
        Refuses($$"""{"previous_response_id":{{id}},"input":"hi"}""", "previous_response_id", code);
    }

    [Theory]
    [InlineData("\"conv_1\"")]
    [InlineData("""{"id":"conv_1"}""")]
    [InlineData("\"not even an id\"")]
    public void A_conversation_and_a_previous_response_together_are_refused_naming_both(string conversation)
    {
        Refuses($$"""{"conversation":{{conversation}},"previous_response_id":"resp_1","input":"hi"}""", "previous_response_id", "invalid_value")
            .Saying("'conversation'", "'previous_response_id'");
    }

    [Fact]
    public void A_conversation_or_previous_response_sent_as_null_is_left_out()
    {
        var request = Create("""{"conversation":null,"previous_response_id":"resp_1","input":"hi"}""");

        Assert.Equal((null, "resp_1"), (request.ConversationId, request.PreviousResponseId));
        Assert.Equal("conv_1", Create("""{"conversation":"conv_1","previous_response_id":null}""").ConversationId);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("""{"model":"gpt-4o"}""")]
    [InlineData("""{"input":null}""")]
    public void A_request_without_input_that_continues_nothing_is_refused(string json)
    {
        Refuses(json, "input", "missing_required_parameter").Saying("conversation", "previous_response_id");
    }

    [Fact]
    public void An_empty_input_that_continues_nothing_is_refused()
    {
        Refuses("""{"input":[]}""", "input", "invalid_value");
    }

    [Theory]
    [InlineData("""{"conversation":"conv_1"}""")]
    [InlineData("""{"conversation":"conv_1","input":[]}""")]
    [InlineData("""{"previous_response_id":"resp_1","input":null}""")]
    [InlineData("""{"previous_response_id":"resp_1","input":[]}""")]
    public void A_request_that_continues_a_conversation_or_a_response_may_send_no_input(string json)
    {
        Assert.Empty(Create(json).Input);
    }

    [Theory]
    [InlineData("42", "input", "invalid_type")]
    [InlineData("""{"role":"user","content":"hi"}""", "input", "invalid_type")]
    [InlineData("\"\"", "input", "invalid_value")]
    [InlineData("""[{"role":"user","content":[{"type":"input_image","image_url":"ftp://x/y.png"}]}]""", "input[0].content[0].image_url", "invalid_value")]
    [InlineData("""[{"role":"user","content":"a"},{"role":"user","content":"b"},{"type":"web_search_call","id":"ws_1"}]""", "input[2].type", "invalid_value")]
    public void A_bad_input_is_refused_naming_its_path(string input, string param, string code)
    {
        Refuses($$"""{"input":{{input}}}""", param, code);
    }

    [Theory]
    [InlineData("\"store\":false", false, false, false)]
    [InlineData("\"store\":null,\"stream\":null,\"background\":null", true, false, false)]
    [InlineData("\"stream\":true", true, true, false)]
    [InlineData("\"background\":true", true, false, true)]
    [InlineData("\"background\":true,\"store\":true,\"stream\":true", true, true, true)]
    public void Store_stream_and_background_are_read_with_their_defaults(string fields, bool store, bool stream, bool background)
    {
        var request = With(fields);

        Assert.Equal((store, stream, background), (request.Store, request.Stream, request.Background));
    }

    [Fact]
    public void A_background_response_that_is_not_stored_is_refused()
    {
        RefusesWith("\"background\":true,\"store\":false", "background", "invalid_value").Saying("'store'");
    }

    [Theory]
    [InlineData("store")]
    [InlineData("stream")]
    [InlineData("background")]
    [InlineData("parallel_tool_calls")]
    public void A_flag_that_is_not_a_boolean_is_refused(string field)
    {
        RefusesWith($$"""
            "{{field}}":"true"
            """, field, "invalid_type");
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("2", 2.0)]
    [InlineData("0.7", 0.7)]
    public void A_temperature_from_0_to_2_is_kept(string value, double expected)
    {
        Assert.Equal(expected, With($"\"temperature\":{value}").Settings.Temperature);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    public void A_top_p_from_0_to_1_is_kept(string value, double expected)
    {
        Assert.Equal(expected, With($"\"top_p\":{value}").Settings.TopP);
    }

    [Theory]
    [InlineData("16", 16)]
    [InlineData("1000000", 1_000_000)]
    [InlineData("4096.0", 4096)]
    public void Max_output_tokens_from_16_to_a_million_are_kept(string value, int expected)
    {
        Assert.Equal(expected, With($"\"max_output_tokens\":{value}").Settings.MaxOutputTokens);
    }

    [Theory]
    [InlineData("\"temperature\":2.01", "temperature", "invalid_value")]
    [InlineData("\"temperature\":-0.1", "temperature", "invalid_value")]
    [InlineData("\"temperature\":\"hot\"", "temperature", "invalid_type")]
    [InlineData("\"top_p\":1.01", "top_p", "invalid_value")]
    [InlineData("\"top_p\":[1]", "top_p", "invalid_type")]
    [InlineData("\"max_output_tokens\":15", "max_output_tokens", "invalid_value")]
    [InlineData("\"max_output_tokens\":1000001", "max_output_tokens", "invalid_value")]
    [InlineData("\"max_output_tokens\":16.5", "max_output_tokens", "invalid_type")]
    [InlineData("\"max_output_tokens\":\"100\"", "max_output_tokens", "invalid_type")]
    [InlineData("\"model\":\"\"", "model", "invalid_value")]
    [InlineData("\"model\":4", "model", "invalid_type")]
    [InlineData("\"instructions\":[\"be brief\"]", "instructions", "invalid_type")]
    [InlineData("\"user\":5", "user", "invalid_type")]
    [InlineData("\"safety_identifier\":{}", "safety_identifier", "invalid_type")]
    [InlineData("\"prompt_cache_key\":1", "prompt_cache_key", "invalid_type")]
    [InlineData("\"truncation\":\"none\"", "truncation", "invalid_value")]
    [InlineData("\"truncation\":true", "truncation", "invalid_type")]
    public void A_bad_setting_is_refused_naming_it(string fields, string param, string code)
    {
        RefusesWith(fields, param, code);
    }

    [Fact]
    public void A_model_name_of_256_characters_is_accepted_and_257_are_refused()
    {
        Assert.Equal(256, With($"\"model\":\"{new string('m', 256)}\"").Model!.Length);
        RefusesWith($"\"model\":\"{new string('m', 257)}\"", "model", "invalid_value");
    }

    [Theory]
    [InlineData("\"instructions\":\"Answer in French.\"", "Answer in French.")]
    [InlineData("\"instructions\":null", null)]
    [InlineData("\"instructions\":\"\"", "")]
    public void Instructions_are_kept_for_this_response(string fields, string? expected)
    {
        Assert.Equal(expected, With(fields).Settings.Instructions);
    }

    [Fact]
    public void Instructions_of_256000_characters_are_accepted_and_one_more_is_refused()
    {
        Assert.Equal(256_000, With($"\"instructions\":\"{new string('i', 256_000)}\"").Settings.Instructions!.Length);
        RefusesWith($"\"instructions\":\"{new string('i', 256_001)}\"", "instructions", "invalid_value");
    }

    [Theory]
    [InlineData("\"truncation\":\"auto\"", Truncation.Auto)]
    [InlineData("\"truncation\":\"disabled\"", Truncation.Disabled)]
    [InlineData("\"truncation\":null", Truncation.Disabled)]
    public void Truncation_is_auto_or_disabled(string fields, Truncation expected)
    {
        Assert.Equal(expected, With(fields).Settings.Truncation);
    }

    [Fact]
    public void Truncation_left_out_is_not_said_so_a_conversations_setting_can_apply()
    {
        Assert.Null(With("\"temperature\":1").Settings.Truncation);
    }

    [Fact]
    public void Identifiers_are_kept_up_to_their_limits()
    {
        var request = With($"\"user\":\"{new string('u', 256)}\",\"safety_identifier\":\"{new string('s', 64)}\",\"prompt_cache_key\":\"{new string('p', 64)}\"");

        Assert.Equal((256, 64, 64), (request.Settings.User!.Length, request.Settings.SafetyIdentifier!.Length, request.Settings.PromptCacheKey!.Length));
    }

    [Theory]
    [InlineData("user", 257)]
    [InlineData("safety_identifier", 65)]
    [InlineData("prompt_cache_key", 65)]
    public void An_identifier_over_its_limit_is_refused(string field, int length)
    {
        RefusesWith($"\"{field}\":\"{new string('x', length)}\"", field, "invalid_value");
    }

    [Fact]
    public void Metadata_is_kept_as_sent()
    {
        var request = With("""
            "metadata":{"topic":"demo","owner":"ana"}
            """);

        Assert.Equal([new("owner", "ana"), new("topic", "demo")], request.Settings.Metadata.ToArray());
        Assert.Empty(With("\"metadata\":null").Settings.Metadata);
    }

    [Fact]
    public void Metadata_follows_the_limits_of_16_pairs_64_character_keys_and_512_character_values()
    {
        static string Metadata(int pairs, int keyLength, int valueLength)
        {
            var metadata = new JsonObject();
            for (var i = 0; i < pairs; i++)
            {
                metadata[$"{i:D2}".PadRight(keyLength, 'k')] = new string('v', valueLength);
            }

            return new JsonObject { ["input"] = "hi", ["metadata"] = metadata }.ToJsonString();
        }

        Assert.Equal(16, Create(Metadata(16, 64, 512)).Settings.Metadata.Count);
        Refuses(Metadata(17, 2, 1), "metadata", "invalid_value");
        Refuses(Metadata(1, 65, 1), $"metadata.00{new string('k', 63)}", "invalid_value");
        Refuses(Metadata(1, 2, 513), "metadata.00", "invalid_value");
    }

    [Theory]
    [InlineData("\"metadata\":{\"topic\":1}", "metadata.topic", "invalid_type")]
    [InlineData("\"metadata\":[]", "metadata", "invalid_type")]
    public void Bad_metadata_is_refused_naming_the_field(string fields, string param, string code)
    {
        RefusesWith(fields, param, code);
    }

    [Fact]
    public void Function_tools_are_kept_in_order_with_what_was_left_out_as_null()
    {
        var request = With("""
            "tools":[{"type":"function","name":"a"},{"type":"function","name":"b-2_B","description":null,"parameters":null,"strict":true}]
            """);

        Assert.Equal([new FunctionTool("a", null, null, null), new FunctionTool("b-2_B", null, null, true)], request.Settings.Tools.ToArray());
    }

    [Theory]
    [InlineData("web_search")]
    [InlineData("web_search_preview")]
    [InlineData("file_search")]
    [InlineData("computer_use_preview")]
    [InlineData("computer")]
    [InlineData("code_interpreter")]
    [InlineData("image_generation")]
    [InlineData("mcp")]
    [InlineData("local_shell")]
    [InlineData("shell")]
    [InlineData("apply_patch")]
    [InlineData("custom")]
    [InlineData("namespace")]
    [InlineData("Function")]
    public void A_tool_of_any_type_but_function_is_refused_naming_its_type(string type)
    {
        RefusesWith($$"""
            "tools":[{"type":"function","name":"a"},{"type":"{{type}}","server_label":"x"}]
            """, "tools[1].type", "invalid_value").Saying($"'{type}'", "Chat Completions");
    }

    [Theory]
    [InlineData("""[{"name":"a"}]""", "tools[0].type", "missing_required_parameter")]
    [InlineData("""[{"type":1,"name":"a"}]""", "tools[0].type", "invalid_type")]
    [InlineData("""[{"type":"function"}]""", "tools[0].name", "missing_required_parameter")]
    [InlineData("""[{"type":"function","name":""}]""", "tools[0].name", "invalid_value")]
    [InlineData("""[{"type":"function","name":"get weather"}]""", "tools[0].name", "invalid_value")]
    [InlineData("""[{"type":"function","name":"get.weather"}]""", "tools[0].name", "invalid_value")]
    [InlineData("""[{"type":"function","name":"é"}]""", "tools[0].name", "invalid_value")]
    [InlineData("""[{"type":"function","name":5}]""", "tools[0].name", "invalid_type")]
    [InlineData("""[{"type":"function","name":"a","description":5}]""", "tools[0].description", "invalid_type")]
    [InlineData("""[{"type":"function","name":"a","parameters":"{}"}]""", "tools[0].parameters", "invalid_type")]
    [InlineData("""[{"type":"function","name":"a","parameters":[]}]""", "tools[0].parameters", "invalid_type")]
    [InlineData("""[{"type":"function","name":"a","strict":"yes"}]""", "tools[0].strict", "invalid_type")]
    [InlineData("""[{"type":"function","name":"a","function":{}}]""", "tools[0].function", "unknown_parameter")]
    [InlineData("""[{"type":"function","name":"a"},{"type":"function","name":"a"}]""", "tools[1].name", "invalid_value")]
    [InlineData("""["a"]""", "tools[0]", "invalid_type")]
    [InlineData("""{"type":"function","name":"a"}""", "tools", "invalid_type")]
    public void A_bad_tool_is_refused_naming_its_path(string tools, string param, string code)
    {
        RefusesWith($"\"tools\":{tools}", param, code);
    }

    [Fact]
    public void A_chat_completions_style_tool_is_refused_naming_the_nested_function()
    {
        RefusesWith("""
            "tools":[{"type":"function","function":{"name":"a","parameters":{}}}]
            """, "tools[0].function", "unknown_parameter");
    }

    [Fact]
    public void A_tool_name_of_64_characters_is_accepted_and_65_are_refused()
    {
        var name = new string('n', 64);

        Assert.Equal(name, Assert.Single(With($$"""
            "tools":[{"type":"function","name":"{{name}}"}]
            """).Settings.Tools).Name);
        RefusesWith($$"""
            "tools":[{"type":"function","name":"{{name}}n"}]
            """, "tools[0].name", "invalid_value");
    }

    [Fact]
    public void Up_to_128_tools_are_accepted()
    {
        static string Tools(int count) =>
            new JsonObject
            {
                ["input"] = "hi",
                ["tools"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => new JsonObject { ["type"] = "function", ["name"] = $"f{i}" })]),
            }.ToJsonString();

        Assert.Equal(128, Create(Tools(128)).Settings.Tools.Length);
        Refuses(Tools(129), "tools", "invalid_value");
    }

    [Theory]
    [InlineData("\"none\"", "none")]
    [InlineData("\"auto\"", "auto")]
    [InlineData("\"required\"", "required")]
    [InlineData("null", "auto")]
    public void A_tool_choice_mode_is_kept(string choice, string mode)
    {
        var request = With($$"""
            "tools":[{"type":"function","name":"f"}],"tool_choice":{{choice}}
            """);

        Assert.Equal(new ToolChoice.Mode(mode), request.Settings.ToolChoice);
    }

    [Fact]
    public void A_tool_choice_may_name_one_of_the_tools()
    {
        var request = With("""
            "tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}],"tool_choice":{"type":"function","name":"g"}
            """);

        Assert.Equal(new ToolChoice.Function("g"), request.Settings.ToolChoice);
    }

    [Theory]
    [InlineData("\"none\"")]
    [InlineData("\"auto\"")]
    public void A_tool_choice_that_calls_nothing_needs_no_tools(string choice)
    {
        Assert.IsType<ToolChoice.Mode>(With($"\"tool_choice\":{choice}").Settings.ToolChoice);
    }

    [Theory]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "\"any\"", "tool_choice", "invalid_value")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "\"Auto\"", "tool_choice", "invalid_value")]
    [InlineData("[]", "\"required\"", "tool_choice", "invalid_value")]
    [InlineData("null", "\"required\"", "tool_choice", "invalid_value")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"type\":\"function\",\"name\":\"g\"}", "tool_choice.name", "invalid_value")]
    [InlineData("[]", "{\"type\":\"function\",\"name\":\"f\"}", "tool_choice.name", "invalid_value")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"type\":\"function\"}", "tool_choice.name", "missing_required_parameter")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}", "tool_choice.function", "unknown_parameter")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"name\":\"f\"}", "tool_choice.type", "missing_required_parameter")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"type\":\"file_search\"}", "tool_choice.type", "invalid_value")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"type\":\"allowed_tools\",\"mode\":\"auto\",\"tools\":[]}", "tool_choice.type", "invalid_value")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"type\":\"mcp\",\"server_label\":\"x\"}", "tool_choice.type", "invalid_value")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "{\"type\":3}", "tool_choice.type", "invalid_type")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "1", "tool_choice", "invalid_type")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\"}]", "[\"f\"]", "tool_choice", "invalid_type")]
    public void A_bad_tool_choice_is_refused_naming_its_path(string tools, string choice, string param, string code)
    {
        RefusesWith($"\"tools\":{tools},\"tool_choice\":{choice}", param, code);
    }

    [Theory]
    [InlineData("\"parallel_tool_calls\":false", false)]
    [InlineData("\"parallel_tool_calls\":true", true)]
    [InlineData("\"parallel_tool_calls\":null", true)]
    public void Parallel_tool_calls_default_to_true(string fields, bool expected)
    {
        Assert.Equal(expected, With(fields).Settings.ParallelToolCalls);
    }

    [Theory]
    [InlineData("""{"format":{"type":"text"}}""")]
    [InlineData("""{"format":null}""")]
    [InlineData("""{}""")]
    [InlineData("""null""")]
    [InlineData("""{"verbosity":"low"}""")]
    [InlineData("""{"format":{"type":"text"},"verbosity":"high"}""")]
    public void A_text_format_of_text_or_none_is_plain_text(string text)
    {
        Assert.Equal(TextFormat.Plain, With($"\"text\":{text}").Settings.Text);
    }

    [Fact]
    public void A_json_object_format_is_kept()
    {
        Assert.Equal(new TextFormat.JsonObject(), With("""
            "text":{"format":{"type":"json_object"},"verbosity":"medium"}
            """).Settings.Text);
    }

    [Theory]
    [InlineData("""{"format":{"type":"xml"}}""", "text.format.type", "invalid_value")]
    [InlineData("""{"format":{"type":5}}""", "text.format.type", "invalid_type")]
    [InlineData("""{"format":{}}""", "text.format.type", "missing_required_parameter")]
    [InlineData("""{"format":"json_object"}""", "text.format", "invalid_type")]
    [InlineData("""{"format":{"type":"text","name":"x"}}""", "text.format.name", "unknown_parameter")]
    [InlineData("""{"format":{"type":"json_object","schema":{}}}""", "text.format.schema", "unknown_parameter")]
    [InlineData("""{"format":{"type":"json_schema","schema":{}}}""", "text.format.name", "missing_required_parameter")]
    [InlineData("""{"format":{"type":"json_schema","name":"my schema","schema":{}}}""", "text.format.name", "invalid_value")]
    [InlineData("""{"format":{"type":"json_schema","name":"s"}}""", "text.format.schema", "missing_required_parameter")]
    [InlineData("""{"format":{"type":"json_schema","name":"s","schema":"{}"}}""", "text.format.schema", "invalid_type")]
    [InlineData("""{"format":{"type":"json_schema","name":"s","schema":{},"description":1}}""", "text.format.description", "invalid_type")]
    [InlineData("""{"format":{"type":"json_schema","name":"s","schema":{},"strict":"true"}}""", "text.format.strict", "invalid_type")]
    [InlineData("""{"format":{"type":"json_schema","json_schema":{"name":"s","schema":{}}}}""", "text.format.json_schema", "unknown_parameter")]
    [InlineData("""{"verbosity":"max"}""", "text.verbosity", "invalid_value")]
    [InlineData("""{"verbosity":1}""", "text.verbosity", "invalid_type")]
    [InlineData("""{"format":{"type":"text"},"stop":["x"]}""", "text.stop", "unknown_parameter")]
    [InlineData("\"json\"", "text", "invalid_type")]
    public void A_bad_text_setting_is_refused_naming_its_path(string text, string param, string code)
    {
        RefusesWith($"\"text\":{text}", param, code);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("minimal")]
    [InlineData("low")]
    [InlineData("medium")]
    [InlineData("high")]
    [InlineData("xhigh")]
    [InlineData("max")]
    public void A_reasoning_effort_is_kept(string effort)
    {
        Assert.Equal(effort, With($$"""
            "reasoning":{"effort":"{{effort}}","summary":"detailed","generate_summary":"concise"}
            """).Settings.ReasoningEffort);
    }

    [Theory]
    [InlineData("""{"summary":"auto"}""")]
    [InlineData("""{"effort":null}""")]
    [InlineData("""{}""")]
    [InlineData("""null""")]
    public void Reasoning_without_an_effort_leaves_it_to_the_model(string reasoning)
    {
        Assert.Null(With($"\"reasoning\":{reasoning}").Settings.ReasoningEffort);
    }

    [Fact]
    public void Newer_reasoning_hints_are_accepted()
    {
        Assert.Equal("high", With("""
            "reasoning":{"effort":"high","context":{"x":1},"mode":"y"}
            """).Settings.ReasoningEffort);
    }

    [Theory]
    [InlineData("""{"effort":"extreme"}""", "reasoning.effort", "invalid_value")]
    [InlineData("""{"effort":"High"}""", "reasoning.effort", "invalid_value")]
    [InlineData("""{"effort":3}""", "reasoning.effort", "invalid_type")]
    [InlineData("""{"summary":"short"}""", "reasoning.summary", "invalid_value")]
    [InlineData("""{"generate_summary":true}""", "reasoning.generate_summary", "invalid_type")]
    [InlineData("""{"budget_tokens":1000}""", "reasoning.budget_tokens", "unknown_parameter")]
    [InlineData("\"high\"", "reasoning", "invalid_type")]
    public void A_bad_reasoning_setting_is_refused_naming_its_path(string reasoning, string param, string code)
    {
        RefusesWith($"\"reasoning\":{reasoning}", param, code);
    }

    [Fact]
    public void Every_known_include_value_is_accepted_and_kept_once()
    {
        var request = With("""
            "include":["file_search_call.results","web_search_call.results","web_search_call.action.sources","message.input_image.image_url",
                       "computer_call_output.output.image_url","code_interpreter_call.outputs","reasoning.encrypted_content",
                       "message.output_text.logprobs","reasoning.encrypted_content"]
            """);

        Assert.Equal(8, request.Include.Length);
        Assert.Equal("reasoning.encrypted_content", request.Include[6]);
        Assert.Empty(With("\"include\":null").Include);
        Assert.Empty(With("\"include\":[]").Include);
    }

    [Theory]
    [InlineData("""["message.output_text.logprobs","usage"]""", "include[1]", "invalid_value")]
    [InlineData("""["Reasoning.encrypted_content"]""", "include[0]", "invalid_value")]
    [InlineData("""[1]""", "include[0]", "invalid_type")]
    [InlineData("\"reasoning.encrypted_content\"", "include", "invalid_type")]
    public void A_bad_include_is_refused_naming_its_path(string include, string param, string code)
    {
        RefusesWith($"\"include\":{include}", param, code);
    }

    [Fact]
    public void Fields_the_sdks_send_that_change_nothing_here_are_accepted()
    {
        var request = With("""
            "stream_options":{"include_obfuscation":false},"service_tier":"auto","prompt_cache_retention":"in-memory",
            "prompt_cache_options":{},"top_logprobs":20,"max_tool_calls":0,
            "prompt":null,"context_management":null,"moderation":null
            """);

        Assert.Single(request.Input);
    }

    [Theory]
    [InlineData("\"stream_options\":true", "stream_options", "invalid_type")]
    [InlineData("\"service_tier\":1", "service_tier", "invalid_type")]
    [InlineData("\"prompt_cache_retention\":24", "prompt_cache_retention", "invalid_type")]
    [InlineData("\"prompt_cache_options\":\"x\"", "prompt_cache_options", "invalid_type")]
    [InlineData("\"top_logprobs\":21", "top_logprobs", "invalid_value")]
    [InlineData("\"top_logprobs\":-1", "top_logprobs", "invalid_value")]
    [InlineData("\"top_logprobs\":1.5", "top_logprobs", "invalid_type")]
    [InlineData("\"max_tool_calls\":-1", "max_tool_calls", "invalid_value")]
    [InlineData("\"max_tool_calls\":\"3\"", "max_tool_calls", "invalid_type")]
    public void An_ignored_field_of_the_wrong_shape_is_still_refused(string fields, string param, string code)
    {
        RefusesWith(fields, param, code);
    }

    [Theory]
    [InlineData("prompt", """{"id":"pmpt_1","version":"2"}""", "not supported")]
    [InlineData("moderation", """{"model":"omni-moderation-latest"}""", "not supported")]
    public void A_field_this_service_cannot_honour_is_refused_saying_so(string field, string value, string fragment)
    {
        RefusesWith($"\"{field}\":{value}", field, "invalid_value").Saying(fragment);
    }

    [Theory]
    [InlineData("messages")]
    [InlineData("max_tokens")]
    [InlineData("n")]
    [InlineData("seed")]
    [InlineData("Model")]
    [InlineData("response_format")]
    public void An_unknown_field_is_refused_naming_it(string field)
    {
        RefusesWith($"\"{field}\":null", field, "unknown_parameter");
    }

    [Fact]
    public void Unknown_fields_are_named_before_any_other_problem()
    {
        Refuses("""{"temperature":9,"conversation":"conv_1","previous_response_id":"resp_1","modle":"x"}""", "modle", "unknown_parameter");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"hi\"")]
    [InlineData("null")]
    [InlineData("3")]
    public void A_body_that_is_not_an_object_is_refused(string json)
    {
        Refuses(json, "", "invalid_type");
    }

    [Theory]
    [InlineData("\"instructions\":\"a\\u0000\"", "instructions")]
    [InlineData("\"metadata\":{\"k\":\"\\u0000\"}", "metadata.k")]
    [InlineData("\"user\":\"\\u0000\"", "user")]
    [InlineData("\"safety_identifier\":\"\\u0000\"", "safety_identifier")]
    [InlineData("\"prompt_cache_key\":\"\\u0000\"", "prompt_cache_key")]
    [InlineData("\"model\":\"gpt\\u0000\"", "model")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"description\":\"\\u0000\"}]", "tools[0].description")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"properties\":{\"a\":{\"description\":\"\\u0000\"}}}}]", "tools[0].parameters")]
    [InlineData("\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"s\",\"schema\":{\"enum\":[\"\\u0000\"]}}}", "text.format.schema")]
    public void The_nul_character_is_refused_wherever_it_would_be_stored(string fields, string param)
    {
        RefusesWith(fields, param, "invalid_value");
    }
}
