using System.Text;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Tests.Json;

namespace Conversations.Core.Tests.ChatCompletions;

/// <summary>What the stateless route reads from a client's body before forwarding it, and what it refuses.</summary>
public sealed class InspectTests
{
    private static ChatCompletionsCall Accepted(string json) =>
        Parsed.Accepted(ChatCompletionsRequests.Inspect(Encoding.UTF8.GetBytes(json)));

    private static void RefusedWith(string json, string param, string code) =>
        Parsed.RefusedWith(ChatCompletionsRequests.Inspect(Encoding.UTF8.GetBytes(json)), param, code);

    [Fact]
    public void A_plain_request_is_a_single_shot_call_for_its_model()
    {
        var call = Accepted("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say this is a test!"}],"temperature":0.7}""");

        Assert.Equal(new ChatCompletionsCall("gpt-4o-mini", Stream: false, ClientWantsUsage: false), call);
    }

    [Fact]
    public void Stream_true_makes_a_streamed_call_without_usage_unless_asked()
    {
        var call = Accepted("""{"messages":[],"stream":true,"model":"gpt-4o"}""");

        Assert.Equal(new ChatCompletionsCall("gpt-4o", Stream: true, ClientWantsUsage: false), call);
    }

    [Fact]
    public void Stream_options_include_usage_true_is_the_client_asking_for_the_usage_chunk()
    {
        var call = Accepted("""{"model":"gpt-4o","stream":true,"stream_options":{"foo":{"bar":[1,{"include_usage":false}]},"include_usage":true},"messages":[]}""");

        Assert.Equal(new ChatCompletionsCall("gpt-4o", Stream: true, ClientWantsUsage: true), call);
    }

    [Theory]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":false},"messages":[]}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{},"messages":[]}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":null,"messages":[]}""")]
    // Usage chunks exist only in streams; a single-shot reply always carries its usage.
    [InlineData("""{"model":"m","stream":false,"stream_options":{"include_usage":true},"messages":[]}""")]
    public void The_usage_chunk_is_wanted_only_by_a_stream_that_asks_for_it(string json)
    {
        Assert.False(Accepted(json).ClientWantsUsage);
    }

    [Fact]
    public void Stream_null_is_the_same_as_leaving_it_out()
    {
        Assert.False(Accepted("""{"model":"m","stream":null,"messages":[]}""").Stream);
    }

    [Fact]
    public void Fields_the_service_does_not_know_do_not_matter_wherever_they_are()
    {
        var call = Accepted("""
            {
              "x_vendor": {"model": "not-this-one", "stream": false, "messages": 3},
              "model": "gpt-4o",
              "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
              "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
              "stream": true,
              "logit_bias": {"50256": -100},
              "n": 1.0e0
            }
            """);

        Assert.Equal(new ChatCompletionsCall("gpt-4o", Stream: true, ClientWantsUsage: false), call);
    }

    [Fact]
    public void Property_names_written_with_escapes_are_read_as_what_they_spell()
    {
        var call = Accepted("""{"mod\u0065l":"gpt-4o","stre\u0061m":true,"stream_options":{"include\u005fusage":true},"m\u0065ssages":[]}""");

        Assert.Equal(new ChatCompletionsCall("gpt-4o", Stream: true, ClientWantsUsage: true), call);
    }

    [Fact]
    public void A_model_name_with_escapes_is_read_unescaped()
    {
        Assert.Equal("meta-llama/Llama-3-8B", Accepted("""{"model":"meta-llama\/Llama-3-8B","messages":[]}""").Model);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""")]
    public void A_missing_model_is_refused_naming_model(string json)
    {
        RefusedWith(json, "model", "missing_required_parameter");
    }

    [Theory]
    [InlineData("""{"model":42,"messages":[]}""")]
    [InlineData("""{"model":null,"messages":[]}""")]
    [InlineData("""{"model":["gpt-4o"],"messages":[]}""")]
    [InlineData("""{"model":{"id":"gpt-4o"},"messages":[]}""")]
    public void A_model_that_is_not_a_string_is_refused_naming_model(string json)
    {
        RefusedWith(json, "model", "invalid_type");
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o"}""")]
    [InlineData("""{"model":"gpt-4o","messages":null}""")]
    public void Missing_messages_are_refused_naming_messages(string json)
    {
        RefusedWith(json, "messages", "missing_required_parameter");
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[],"stream":"true"}""")]
    [InlineData("""{"model":"m","messages":[],"stream":1}""")]
    [InlineData("""{"model":"m","messages":[],"stream":{}}""")]
    public void A_stream_that_is_not_a_boolean_is_refused_naming_stream(string json)
    {
        RefusedWith(json, "stream", "invalid_type");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"model":"m","messages":[]}]""")]
    [InlineData("\"hello\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_refused(string json)
    {
        var error = Parsed.Refused(ChatCompletionsRequests.Inspect(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("invalid_type", error.Code);
    }

    /// <summary>Found by the parser fuzz suite: reading such a model threw, and the route answered 500.</summary>
    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'m', (byte)'o', (byte)'d', (byte)'e', (byte)'l', (byte)'"', (byte)':', (byte)'"', 0xE2, 0x82, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'m', (byte)'o', (byte)'d', (byte)'e', (byte)'l', (byte)'"', (byte)':', (byte)'"', (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0', (byte)'"', (byte)'}' })]
    public void A_model_that_is_not_text_invalid_UTF8_or_a_lone_surrogate_is_refused_as_invalid_JSON(byte[] body)
    {
        var error = Parsed.Refused(ChatCompletionsRequests.Inspect(body));

        Assert.Equal("invalid_json", error.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"model":"m","messages":[]""")]
    [InlineData("""{"model":"m","messages":[]}}""")]
    [InlineData("""{"model":"m","messages":[]} {}""")]
    [InlineData("""{"model":"m","messages":[],}""")]
    [InlineData("""{"model":'m',"messages":[]}""")]
    [InlineData("""{"model":"m",/* note */"messages":[]}""")]
    [InlineData("model=gpt-4o&messages=hi")]
    public void Invalid_json_is_refused_as_invalid_json(string json)
    {
        var error = Parsed.Refused(ChatCompletionsRequests.Inspect(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("invalid_json", error.Code);
        Assert.Contains("parse", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[],"stream":true,"stream_options":["include_usage"]}""")]
    [InlineData("""{"model":"m","stream_options":[[],{}],"messages":[],"stream":true}""")]
    public void Stream_options_of_the_wrong_shape_are_left_for_the_upstream_to_judge(string json)
    {
        // The body is valid JSON; the service does not act on such stream options, so it must not call
        // the body unparseable (the upstream answers with its own precise error).
        var call = Accepted(json);

        Assert.Equal(new ChatCompletionsCall("m", Stream: true, ClientWantsUsage: false), call);
    }
}
