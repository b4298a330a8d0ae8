using System.Text;
using System.Text.Json;
using Conversations.Core.Json;

namespace Conversations.Core.Tests.Json;

public class JsonBodyTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \r\n\t ")]
    public void A_blank_body_reads_as_an_empty_object(string body)
    {
        var element = Parsed.Accepted(JsonBody.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Empty(element.EnumerateObject());
    }

    [Fact]
    public void A_json_object_is_read_with_its_fields()
    {
        var element = Parsed.Accepted(JsonBody.Parse("""{"content":"hi","stream":true}"""u8));

        Assert.Equal("hi", element.GetProperty("content").GetString());
        Assert.True(element.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public void Whitespace_around_the_value_is_allowed()
    {
        var element = Parsed.Accepted(JsonBody.Parse("\r\n  {\"a\": 1}  \n"u8));

        Assert.Equal(1, element.GetProperty("a").GetInt32());
    }

    [Fact]
    public void Any_json_value_is_read_so_the_route_can_name_the_wrong_type()
    {
        var element = Parsed.Accepted(JsonBody.Parse("[1,2]"u8));

        Assert.Equal(JsonValueKind.Array, element.ValueKind);
    }

    [Fact]
    public void The_parsed_body_does_not_depend_on_the_request_buffer()
    {
        var buffer = Encoding.UTF8.GetBytes("""{"content":"original"}""");
        var element = Parsed.Accepted(JsonBody.Parse(buffer));

        // The host may reuse its buffer for the next request.
        Array.Fill(buffer, (byte)' ');

        Assert.Equal("original", element.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("""{"content":""")]
    [InlineData("""{"content":"hi""")]
    [InlineData("""{"content":"hi",}""")]
    [InlineData("""{content:"hi"}""")]
    [InlineData("""{'content':'hi'}""")]
    [InlineData("{} {}")]
    [InlineData("{}x")]
    [InlineData("{}]")]
    [InlineData("""{/* note */ "content":"hi"}""")]
    [InlineData("{} // note")]
    [InlineData("NaN")]
    [InlineData("content=hi")]
    public void A_body_that_is_not_one_json_document_is_refused_as_invalid_json(string body)
    {
        var error = Parsed.RefusedWith(JsonBody.Parse(Encoding.UTF8.GetBytes(body)), "", "invalid_json");

        Assert.Contains("JSON", error.Message);
    }

    [Fact]
    public void A_syntax_error_names_its_line_and_position()
    {
        var error = Parsed.Refused(JsonBody.Parse("{\n  \"a\": 1,\n  \"b\": ]\n}"u8));

        Assert.Contains("line 3, position 8", error.Message);
    }

    [Fact]
    public void Content_after_the_value_is_refused_naming_where_it_starts()
    {
        var error = Parsed.Refused(JsonBody.Parse("{}  x"u8));

        Assert.Equal("invalid_json", error.Code);
        Assert.Contains("position 5", error.Message);
    }

    [Fact]
    public void Nesting_up_to_64_levels_is_accepted()
    {
        var body = new string('[', 64) + new string(']', 64);

        var element = Parsed.Accepted(JsonBody.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(JsonValueKind.Array, element.ValueKind);
    }

    [Fact]
    public void Nesting_beyond_64_levels_is_refused_naming_the_position()
    {
        var body = """{"metadata":""" + new string('[', 64) + new string(']', 64) + "}";

        var error = Parsed.RefusedWith(JsonBody.Parse(Encoding.UTF8.GetBytes(body)), "", "invalid_json");

        // The object is the first level, so the 64th bracket (byte 76, after the 12 of {"metadata":) opens the 65th.
        Assert.Contains("line 1, position 76", error.Message);
    }

    [Fact]
    public void A_utf8_byte_order_mark_before_the_json_is_skipped()
    {
        // Windows PowerShell and .NET writers using Encoding.UTF8 start bodies with a BOM.
        byte[] body = [.. Bom, .. """{"content":"hi"}"""u8];

        var element = Parsed.Accepted(JsonBody.Parse(body));

        Assert.Equal("hi", element.GetProperty("content").GetString());
    }

    [Fact]
    public void A_body_of_only_a_byte_order_mark_and_whitespace_reads_as_an_empty_object()
    {
        byte[] body = [.. Bom, .. " \n"u8];

        var element = Parsed.Accepted(JsonBody.Parse(body));

        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Empty(element.EnumerateObject());
    }

    [Fact]
    public void A_byte_order_mark_inside_the_body_is_still_refused()
    {
        byte[] body = [.. " "u8, .. Bom, .. "{}"u8];

        Parsed.RefusedWith(JsonBody.Parse(body), "", "invalid_json");
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_as_invalid_json_naming_the_byte()
    {
        // 0xC3 opens a two-byte sequence; '(' cannot continue it.
        byte[] body = [.. """{"content":"caf"""u8, 0xC3, 0x28, .. "\"}"u8];

        var error = Parsed.RefusedWith(JsonBody.Parse(body), "", "invalid_json");

        Assert.Contains("UTF-8", error.Message);
        Assert.Contains("line 1, position 16", error.Message);
    }

    [Theory]
    [InlineData("""{"content":"half an emoji \ud83d"}""")]
    [InlineData("""{"content":"\ude00 backwards"}""")]
    [InlineData("""{"metadata":{"\ud83d":"v"}}""")]
    [InlineData("""["ok", "\udfff"]""")]
    public void An_escaped_unpaired_surrogate_is_refused_as_invalid_json(string body)
    {
        // Such a string has no UTF-8 form: reading it later would fail inside the service instead.
        var error = Parsed.RefusedWith(JsonBody.Parse(Encoding.UTF8.GetBytes(body)), "", "invalid_json");

        Assert.Contains("surrogate", error.Message);
    }

    [Fact]
    public void An_unpaired_surrogate_is_refused_naming_the_string_that_holds_it()
    {
        var error = Parsed.Refused(JsonBody.Parse("{\n \"content\": \"\\ud83d\"}"u8));

        Assert.Contains("line 2, position 13", error.Message);
    }

    [Fact]
    public void An_escaped_surrogate_pair_reads_as_the_character_it_encodes()
    {
        var element = Parsed.Accepted(JsonBody.Parse("""{"content":"\ud83d\ude00 \u00e9"}"""u8));

        Assert.Equal("😀 é", element.GetProperty("content").GetString());
    }

    [Fact]
    public void An_escaped_backslash_before_u_is_not_mistaken_for_an_escape()
    {
        var element = Parsed.Accepted(JsonBody.Parse("""{"content":"C:\\ud800"}"""u8));

        Assert.Equal("C:\\ud800", element.GetProperty("content").GetString());
    }

    [Fact]
    public void Raw_utf8_text_is_read_as_written()
    {
        var element = Parsed.Accepted(JsonBody.Parse(Encoding.UTF8.GetBytes("""{"content":"日本語 😀 Ωmega"}""")));

        Assert.Equal("日本語 😀 Ωmega", element.GetProperty("content").GetString());
    }
}
