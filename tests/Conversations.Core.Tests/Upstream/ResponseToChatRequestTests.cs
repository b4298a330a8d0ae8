using System.Text;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Upstream;

/// <summary>A <c>POST /v1/responses</c> body, as validated, to the Chat Completions body sent upstream.</summary>
public sealed class ResponseToChatRequestTests
{
    private static string Upstream(string responsesBody, Item[]? context = null)
    {
        var create = Accepted(ResponseRequests.ParseCreate(Body(responsesBody)));
        var request = ChatRequestBuilder.Build(create.Model!, create.Settings, context ?? [], create.Input.AsSpan(), create.Stream);
        return Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(request));
    }

    [Fact]
    public void A_string_input_with_instructions_is_a_system_and_a_user_message()
    {
        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say this is a test!"}],"max_tokens":50,"stream":true,"stream_options":{"include_usage":true}}""",
            Upstream("""{"model":"gpt-4o-mini","instructions":"Be brief.","input":"Say this is a test!","max_output_tokens":50,"stream":true}"""));
    }

    [Fact]
    public void A_tool_round_trip_with_an_image_and_a_schema_is_translated_whole()
    {
        const string Body = """
            {"model":"gpt-4o","input":[
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather where this was taken?"},{"type":"input_image","image_url":"https://example.com/p.jpg","detail":"low"}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"21C"}],
             "tools":[{"type":"function","name":"get_weather","description":"Weather now.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}],
             "tool_choice":"auto","parallel_tool_calls":false,
             "text":{"format":{"type":"json_schema","name":"report","schema":{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],"additionalProperties":false},"strict":true}},
             "reasoning":{"effort":"low"},"safety_identifier":"u-hash","prompt_cache_key":"k1"}
            """;

        Assert.Equal(
            """{"model":"gpt-4o","messages":["""
            + """{"role":"user","content":[{"type":"text","text":"Weather where this was taken?"},{"type":"image_url","image_url":{"url":"https://example.com/p.jpg","detail":"low"}}]},"""
            + """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"""
            + """{"role":"tool","tool_call_id":"call_1","content":"21C"}],"tools":["""
            + """{"type":"function","function":{"name":"get_weather","description":"Weather now.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}}],"tool_choice":"auto","parallel_tool_calls":false,"response_format":"""
            + """{"type":"json_schema","json_schema":{"name":"report","schema":{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],"additionalProperties":false},"strict":true}},"reasoning_effort":"low","safety_identifier":"u-hash","prompt_cache_key":"k1"}""",
            Upstream(Body));
    }
}
