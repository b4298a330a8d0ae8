using System.Text;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>
/// The exact JSON of what a Responses request adds to a Chat Completions request: content parts, tool
/// calls and tool results in the messages; tools, tool choice, response format and the rest in the body.
/// A request that uses none of it is written byte for byte as before.
/// </summary>
public sealed class ResponseRequestJsonTests
{
    private static string Body(UpstreamChatRequest request) => Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(request));

    private static string MessageJson(UpstreamMessage message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        UpstreamRequestJson.WriteMessage(buffer, message);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static UpstreamChatRequest Plain(bool stream = false) =>
        new("gpt-4o-mini", [new UpstreamMessage("system", "Be brief."), new UpstreamMessage("user", "Say hi")], 0.7, 0.95, 256, stream);

    private static readonly FunctionTool Weather = new(
        "get_weather", "The weather now.", """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", true);

    [Fact]
    public void A_text_only_request_is_written_exactly_as_before()
    {
        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hi"}],"temperature":0.7,"top_p":0.95,"max_tokens":256}""",
            Body(Plain()));
        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hi"}],"temperature":0.7,"top_p":0.95,"max_tokens":256,"stream":true,"stream_options":{"include_usage":true}}""",
            Body(Plain(stream: true)));
    }

    [Fact]
    public void Content_parts_are_written_as_text_image_url_and_file_parts()
    {
        var message = new UpstreamMessage("user", "What is in these?")
        {
            Parts =
            [
                new UpstreamContentPart.Text("What is in these?"),
                new UpstreamContentPart.ImageUrl("https://example.com/cat.png", "low"),
                new UpstreamContentPart.ImageUrl("data:image/png;base64,iVBORw0K", null),
                new UpstreamContentPart.File("data:application/pdf;base64,JVBERi0x", "report.pdf"),
                new UpstreamContentPart.File("JVBERi0x", ""),
            ],
        };

        Assert.Equal(
            """{"role":"user","content":[{"type":"text","text":"What is in these?"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}},{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0x","filename":"report.pdf"}},{"type":"file","file":{"file_data":"JVBERi0x"}}]}""",
            MessageJson(message));
    }

    [Fact]
    public void An_assistant_message_with_tool_calls_and_no_text_has_null_content()
    {
        var message = new UpstreamMessage("assistant", "")
        {
            ToolCalls = [new UpstreamToolCall("call_1", "get_weather", """{"city":"Paris"}"""), new UpstreamToolCall("call_2", "get_time", "{}")],
        };

        Assert.Equal(
            """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]}""",
            MessageJson(message));
    }

    [Fact]
    public void An_assistant_message_with_text_and_tool_calls_carries_both()
    {
        var message = new UpstreamMessage("assistant", "Let me look.") { ToolCalls = [new UpstreamToolCall("call_1", "f", "{}")] };

        Assert.Equal(
            """{"role":"assistant","content":"Let me look.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}""",
            MessageJson(message));
    }

    [Fact]
    public void A_refusal_is_written_as_the_refusal_with_null_content()
    {
        Assert.Equal(
            """{"role":"assistant","content":null,"refusal":"I can't help with that."}""",
            MessageJson(new UpstreamMessage("assistant", "") { Refusal = "I can't help with that." }));
    }

    [Fact]
    public void A_tool_result_names_the_call_it_answers()
    {
        Assert.Equal(
            """{"role":"tool","tool_call_id":"call_1","content":"{\"temperature\":21}"}""",
            MessageJson(UpstreamMessage.ToolResult("call_1", """{"temperature":21}""")));
    }

    [Fact]
    public void Tools_are_written_with_their_schema_as_sent_and_the_choice_and_parallelism()
    {
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", "Weather?")], null, null, null, false)
        {
            Tools = [Weather, new FunctionTool("get_time", null, null, null)],
            ToolChoice = ToolChoice.Auto,
            ParallelToolCalls = false,
        };

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"Weather?"}],"tools":[{"type":"function","function":{"name":"get_weather","description":"The weather now.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},{"type":"function","function":{"name":"get_time"}}],"tool_choice":"auto","parallel_tool_calls":false}""",
            Body(request));
    }

    [Fact]
    public void A_forced_function_is_written_as_a_named_tool_choice()
    {
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", "x")], null, null, null, false)
        {
            Tools = [Weather with { Description = null, ParametersJson = null, Strict = null }],
            ToolChoice = new ToolChoice.Function("get_weather"),
        };

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"get_weather"}}],"tool_choice":{"type":"function","function":{"name":"get_weather"}}}""",
            Body(request));
    }

    [Fact]
    public void Tool_choice_and_parallel_tool_calls_go_out_only_with_tools()
    {
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", "x")], null, null, null, false)
        {
            ToolChoice = new ToolChoice.Mode("none"),
            ParallelToolCalls = true,
        };

        Assert.Equal("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", Body(request));
    }

    [Fact]
    public void Response_formats_map_json_object_and_json_schema_and_leave_text_out()
    {
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", "x")], null, null, null, false);
        const string Schema = """{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""";

        Assert.Equal("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", Body(request with { ResponseFormat = TextFormat.Plain }));
        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}""",
            Body(request with { ResponseFormat = new TextFormat.JsonObject() }));
        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"answer","description":"One answer.","schema":""" + Schema + ""","strict":true}}}""",
            Body(request with { ResponseFormat = new TextFormat.JsonSchema("answer", Schema, "One answer.", true) }));
        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{}}}}""",
            Body(request with { ResponseFormat = new TextFormat.JsonSchema("answer", "{}", null, null) }));
    }

    [Fact]
    public void Reasoning_effort_and_the_bookkeeping_identifiers_follow_the_sampling_settings_and_precede_the_stream()
    {
        var request = new UpstreamChatRequest("o4-mini", [new UpstreamMessage("user", "x")], null, null, 100, true)
        {
            ReasoningEffort = "low",
            User = "user-1",
            SafetyIdentifier = "hash-abc",
            PromptCacheKey = "conv_1",
        };

        Assert.Equal(
            """{"model":"o4-mini","messages":[{"role":"user","content":"x"}],"max_completion_tokens":100,"reasoning_effort":"low","user":"user-1","safety_identifier":"hash-abc","prompt_cache_key":"conv_1","stream":true,"stream_options":{"include_usage":true}}""",
            Encoding.UTF8.GetString(ToBytes(request, UpstreamRequestJson.MaxCompletionTokensField)));
    }

    [Fact]
    public void A_schema_that_is_not_json_is_refused_rather_than_sent_broken()
    {
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", "x")], null, null, null, false)
        {
            Tools = [new FunctionTool("f", null, "{not json", null)],
        };

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => UpstreamRequestJson.ToUtf8Bytes(request));
    }

    [Fact]
    public void The_tail_carries_the_settings_so_a_request_from_prepared_messages_is_the_same_bytes()
    {
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", "x")], 0.2, null, null, true)
        {
            Tools = [Weather],
            ToolChoice = new ToolChoice.Mode("required"),
            ResponseFormat = new TextFormat.JsonObject(),
        };
        var prepared = request with { MessagesJson = new PreparedMessages([ChatRequestBuilder.Json(request.Messages[0], leadingComma: false)]) };

        Assert.Equal(Body(request), Body(prepared));
    }

    private static byte[] ToBytes(UpstreamChatRequest request, string maxTokensField) => UpstreamRequestJson.ToUtf8Bytes(request, maxTokensField);
}
