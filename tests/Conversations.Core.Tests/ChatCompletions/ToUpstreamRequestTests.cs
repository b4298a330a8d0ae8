using Conversations.Core.ChatCompletions;
using Conversations.Core.Tests.Json;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.ChatCompletions;

/// <summary>A stateless request's messages as the offline model (and the prompt estimate) reads them.</summary>
public sealed class ToUpstreamRequestTests
{
    private static UpstreamChatRequest Read(string json) =>
        Parsed.Accepted(ChatCompletionsRequests.ToUpstreamRequest(Parsed.Body(json), new ChatCompletionsCall("offline", Stream: false, ClientWantsUsage: false)));

    [Fact]
    public void Text_content_as_a_string_or_as_parts_is_the_plain_text()
    {
        var request = Read("""{"model":"offline","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Say "},{"type":"text","text":"hi"}]}],"max_tokens":5}""");

        Assert.Equal<UpstreamMessage>([new("system", "Be brief."), new("user", "Say hi")], request.Messages);
        Assert.Equal(5, request.MaxTokens);
    }

    [Fact]
    public void Images_and_files_are_kept_as_parts_beside_the_text()
    {
        var request = Read("""
            {"model":"offline","messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
              {"type":"image_url","image_url":"data:image/png;base64,AAA"},
              {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBE","filename":"a.pdf"}}]}]}
            """);

        var message = Assert.Single(request.Messages);
        Assert.Equal("What is this?", message.Content);
        Assert.Equal<UpstreamContentPart>(
            [
                new UpstreamContentPart.Text("What is this?"),
                new UpstreamContentPart.ImageUrl("https://example.com/a.png", "low"),
                new UpstreamContentPart.ImageUrl("data:image/png;base64,AAA", null),
                new UpstreamContentPart.File("data:application/pdf;base64,JVBE", "a.pdf"),
            ],
            message.Parts);
    }

    [Fact]
    public void Tool_calls_refusals_and_tool_results_are_read()
    {
        var request = Read("""
            {"model":"offline","messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny"},
              {"role":"assistant","content":null,"refusal":"No."}]}
            """);

        Assert.Equal<UpstreamMessage>(
            [
                new("user", "Weather?"),
                new("assistant", "") { ToolCalls = [new UpstreamToolCall("call_1", "get_weather", "{}")] },
                UpstreamMessage.ToolResult("call_1", "sunny"),
                new("assistant", "") { Refusal = "No." },
            ],
            request.Messages);
    }

    [Theory]
    [InlineData("""[{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]""")]
    [InlineData("""[{"type":"image_url"}]""")]
    [InlineData("""[7]""")]
    [InlineData("""{"text":"x"}""")]
    public void Content_of_another_kind_is_refused_with_its_path(string content)
    {
        var result = ChatCompletionsRequests.ToUpstreamRequest(
            Parsed.Body($$"""{"model":"offline","messages":[{"role":"user","content":"ok"},{"role":"user","content":{{content}}}]}"""),
            new ChatCompletionsCall("offline", false, false));

        Parsed.RefusedWith(result, "messages[1].content", "invalid_value");
    }
}
