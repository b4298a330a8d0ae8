using System.Text.Json.Nodes;
using Conversations.Core.Requests;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Requests;

public class ParseSendTests
{
    private static SendMessage Send(string json) => Accepted(ConversationRequests.ParseSend(Body(json)));

    private static void Refuses(string json, string param, string code) =>
        RefusedWith(ConversationRequests.ParseSend(Body(json)), param, code);

    private static string WithContent(string content) => new JsonObject { ["content"] = content }.ToJsonString();

    [Fact]
    public void A_plain_message_is_a_non_streamed_turn_with_the_conversation_settings()
    {
        var request = Send("""{"content":"What is Orleans?"}""");

        Assert.Equal(new SendMessage("What is Orleans?", false, TurnOverrides.None), request);
    }

    [Fact]
    public void Content_may_be_an_array_of_text_parts_joined_in_order()
    {
        var request = Send("""{"content":[{"type":"input_text","text":"Hello, "},{"type":"text","text":"wor"},{"type":"output_text","text":"ld"}]}""");

        Assert.Equal("Hello, world", request.Content);
    }

    [Fact]
    public void Unicode_content_is_kept_exactly()
    {
        const string text = "日本語 😀 café \u200d 👩‍💻 \t tab \n newline \"quoted\" \\ back";

        var request = Send(WithContent(text));

        Assert.Equal(text, request.Content);
    }

    [Fact]
    public void Content_that_is_only_whitespace_is_sent_as_is()
    {
        Assert.Equal("  ", Send("""{"content":"  "}""").Content);
    }

    [Theory]
    [InlineData("""{"content":""}""")]
    [InlineData("""{"content":[]}""")]
    [InlineData("""{"content":[{"type":"text","text":""}]}""")]
    public void Empty_content_is_refused(string json)
    {
        Refuses(json, "content", "invalid_value");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"content":null}""")]
    [InlineData("""{"stream":true}""")]
    [InlineData("")]
    public void A_message_without_content_is_refused(string json)
    {
        Refuses(json, "content", "missing_required_parameter");
    }

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("""{"text":"hi"}""")]
    public void Content_that_is_neither_text_nor_parts_is_refused(string content)
    {
        Refuses($$"""{"content":{{content}}}""", "content", "invalid_type");
    }

    [Theory]
    [InlineData("""[{"type":"image_url","image_url":{"url":"x"}}]""", "content[0].type", "invalid_value")]
    [InlineData("""[{"type":"text","text":"a"},{"text":"b"}]""", "content[1].type", "missing_required_parameter")]
    [InlineData("""[{"type":["text"],"text":"b"}]""", "content[0].type", "invalid_type")]
    [InlineData("""[{"type":null,"text":"b"}]""", "content[0].type", "missing_required_parameter")]
    [InlineData("""[{"type":"text"}]""", "content[0].text", "missing_required_parameter")]
    [InlineData("""[{"type":"text","text":null}]""", "content[0].text", "invalid_type")]
    [InlineData("""["hi"]""", "content[0]", "invalid_type")]
    public void A_bad_content_part_is_refused_naming_its_path(string content, string param, string code)
    {
        Refuses($$"""{"content":{{content}}}""", param, code);
    }

    [Fact]
    public void Content_of_four_million_characters_is_accepted()
    {
        var request = Send(WithContent(new string('a', 4_000_000)));

        Assert.Equal(4_000_000, request.Content.Length);
    }

    [Fact]
    public void Content_over_four_million_characters_is_refused()
    {
        Refuses(WithContent(new string('a', 4_000_001)), "content", "invalid_value");
    }

    [Fact]
    public void Content_parts_over_four_million_characters_together_are_refused()
    {
        var parts = new JsonArray(
            new JsonObject { ["type"] = "text", ["text"] = new string('a', 2_000_000) },
            new JsonObject { ["type"] = "text", ["text"] = new string('b', 2_000_001) });

        Refuses(new JsonObject { ["content"] = parts }.ToJsonString(), "content", "invalid_value");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("null", false)]
    public void Stream_chooses_a_streamed_reply(string stream, bool expected)
    {
        Assert.Equal(expected, Send($$"""{"content":"hi","stream":{{stream}}}""").Stream);
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("1")]
    public void A_stream_flag_that_is_not_a_boolean_is_refused(string stream)
    {
        Refuses($$"""{"content":"hi","stream":{{stream}}}""", "stream", "invalid_type");
    }

    [Fact]
    public void Per_turn_settings_override_the_conversation_for_this_turn()
    {
        var request = Send("""{"content":"hi","model":"gpt-4o","temperature":0.2,"top_p":0.8,"max_tokens":50}""");

        Assert.Equal(new TurnOverrides("gpt-4o", 0.2, 0.8, 50), request.Overrides);
    }

    [Fact]
    public void Max_completion_tokens_is_read_as_max_tokens_for_the_turn()
    {
        Assert.Equal(77, Send("""{"content":"hi","max_completion_tokens":77}""").Overrides.MaxTokens);
    }

    [Fact]
    public void Per_turn_settings_sent_as_null_fall_back_to_the_conversation()
    {
        var request = Send("""{"content":"hi","model":null,"temperature":null,"top_p":null,"max_tokens":null,"max_completion_tokens":null}""");

        Assert.Equal(TurnOverrides.None, request.Overrides);
    }

    [Theory]
    [InlineData("""{"content":"hi","temperature":2.5}""", "temperature", "invalid_value")]
    [InlineData("""{"content":"hi","temperature":"warm"}""", "temperature", "invalid_type")]
    [InlineData("""{"content":"hi","top_p":1.5}""", "top_p", "invalid_value")]
    [InlineData("""{"content":"hi","max_tokens":0}""", "max_tokens", "invalid_value")]
    [InlineData("""{"content":"hi","max_tokens":2.5}""", "max_tokens", "invalid_type")]
    [InlineData("""{"content":"hi","max_completion_tokens":-1}""", "max_completion_tokens", "invalid_value")]
    [InlineData("""{"content":"hi","model":""}""", "model", "invalid_value")]
    [InlineData("""{"content":"hi","model":4}""", "model", "invalid_type")]
    public void An_invalid_per_turn_setting_is_refused_naming_it(string json, string param, string code)
    {
        Refuses(json, param, code);
    }

    [Fact]
    public void A_whole_number_written_as_a_decimal_is_read_as_max_tokens()
    {
        Assert.Equal(100, Send("""{"content":"hi","max_tokens":100.0}""").Overrides.MaxTokens);
    }

    [Theory]
    [InlineData("messages")]
    [InlineData("stream_options")]
    [InlineData("role")]
    [InlineData("n")]
    public void An_unknown_field_is_refused_naming_it(string field)
    {
        Refuses($$"""{"content":"hi","{{field}}":null}""", field, "unknown_parameter");
    }

    [Theory]
    [InlineData("""[{"role":"user","content":"hi"}]""")]
    [InlineData("\"hi\"")]
    [InlineData("3.14")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_refused_as_an_invalid_type(string json)
    {
        Refuses(json, "", "invalid_type");
    }

    [Fact]
    public void When_content_is_repeated_the_last_one_is_sent()
    {
        Assert.Equal("second", Send("""{"content":"first","content":"second"}""").Content);
    }

    [Theory]
    [InlineData("""{"content":"a\u0000b"}""", "content")]
    [InlineData("""{"content":[{"type":"text","text":"\u0000"}]}""", "content[0].text")]
    [InlineData("""{"content":"hi","model":"gpt\u0000"}""", "model")]
    public void The_nul_character_is_refused_because_not_every_store_can_keep_it(string json, string param)
    {
        var error = RefusedWith(ConversationRequests.ParseSend(Body(json)), param, "invalid_value");

        Assert.Contains("NUL", error.Message);
    }
}
