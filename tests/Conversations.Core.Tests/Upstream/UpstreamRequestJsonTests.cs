using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

public sealed class UpstreamRequestJsonTests
{
    private static JsonElement Write(UpstreamChatRequest request) =>
        JsonDocument.Parse(UpstreamRequestJson.ToUtf8Bytes(request)).RootElement;

    private static UpstreamChatRequest Request(double? temperature = null, double? topP = null, int? maxTokens = null, bool stream = false) =>
        new("gpt-4o-mini", [new UpstreamMessage("system", "Be brief."), new UpstreamMessage("user", "Say hi")], temperature, topP, maxTokens, stream);

    [Fact]
    public void A_plain_request_has_only_model_and_messages()
    {
        var body = Write(Request());

        Assert.Equal(["model", "messages"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        Assert.Equal(
            [("system", "Be brief."), ("user", "Say hi")],
            body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())));
    }

    [Fact]
    public void Sampling_settings_that_are_set_are_written_with_their_wire_names()
    {
        var body = Write(Request(temperature: 0.7, topP: 0.95, maxTokens: 256));

        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.95, body.GetProperty("top_p").GetDouble());
        Assert.Equal(256, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("stream", out _));
    }

    [Fact]
    public void The_token_cap_goes_out_under_the_name_the_upstream_wants()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        UpstreamRequestJson.Write(buffer, Request(maxTokens: 64), UpstreamRequestJson.MaxCompletionTokensField);
        var body = JsonDocument.Parse(buffer.WrittenMemory).RootElement;

        Assert.Equal(64, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_tokens", out _));
    }

    [Fact]
    public void Only_the_set_settings_appear()
    {
        var body = Write(Request(topP: 0.5));

        Assert.Equal(["model", "messages", "top_p"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_stream_asks_for_usage_in_its_last_chunk()
    {
        var body = Write(Request(stream: true));

        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void Text_is_kept_intact_through_escaping()
    {
        const string tricky = "Quote \" backslash \\ newline \n tab \t <b>html</b> & emoji 😀 accents éü 中文 \u0001";
        var request = new UpstreamChatRequest("m", [new UpstreamMessage("user", tricky)], null, null, null, false);

        var bytes = UpstreamRequestJson.ToUtf8Bytes(request);
        var text = Encoding.UTF8.GetString(bytes);

        Assert.Equal(tricky, JsonDocument.Parse(bytes).RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Contains("中文", text);
        Assert.Contains("éü", text);
    }

    [Fact]
    public void Temperatures_are_written_exactly()
    {
        var text = Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(Request(temperature: 0.1)));

        Assert.Contains("\"temperature\":0.1", text);
        Assert.DoesNotContain("0.1000", text);
    }

    [Fact]
    public void An_empty_message_list_is_still_valid_json()
    {
        var body = Write(new UpstreamChatRequest("m", ImmutableArray<UpstreamMessage>.Empty, null, null, null, true));

        Assert.Equal(0, body.GetProperty("messages").GetArrayLength());
    }
}
