using System.Text;
using System.Text.Json;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Tests.Json;

namespace Conversations.Core.Tests.ChatCompletions;

/// <summary>
/// The body the stateless route sends upstream: the client's own bytes unless the model is mapped or a
/// stream needs its usage chunk, and even then every other field exactly as the client wrote it.
/// </summary>
public sealed class ForUpstreamTests
{
    /// <summary>A body with the oddities real clients send: unknown and nested fields, escapes, numbers as written.</summary>
    private const string Rich =
        """{"model":"fast","messages":[{"role":"user","content":"caf\u00e9 \"quoted\" \ud83d\ude00 <b>&amp;</b>"}],"temperature":1.0e2,"top_p":0.10,"x_vendor":{"nested":{"deep":[1,2.50,-0,true,null]},"empty":{}},"logit_bias":{"50256":-100},"n":1}""";

    private static (ReadOnlyMemory<byte> Body, ChatCompletionsCall Call) Read(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return (body, Parsed.Accepted(ChatCompletionsRequests.Inspect(body)));
    }

    private static string Rewrite(string json, string upstreamModel)
    {
        var (body, call) = Read(json);
        return Encoding.UTF8.GetString(ChatCompletionsRequests.ForUpstream(body, call, upstreamModel).Span);
    }

    /// <summary>The raw text of each top-level field, in order, as written in <paramref name="json"/>.</summary>
    private static List<(string Name, string Raw)> Fields(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText()))];
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o","messages":[]}""")]
    [InlineData("""{ "model" : "gpt-4o" ,  "messages":[ ] , "x":1.0e2 }""")]
    [InlineData("""{"model":"gpt-4o","messages":[],"stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"gpt-4o","messages":[],"stream":false}""")]
    public void When_nothing_needs_changing_the_very_same_bytes_go_upstream(string json)
    {
        var (body, call) = Read(json);

        var sent = ChatCompletionsRequests.ForUpstream(body, call, call.Model);

        Assert.True(sent.Equals(body), "a fresh copy was made although nothing changed");
    }

    [Fact]
    public void A_mapped_model_changes_only_the_model_and_every_other_field_stays_as_written_in_order()
    {
        var sent = Rewrite(Rich, "gpt-4o-mini");

        var expected = Fields(Rich).Select(f => f.Name == "model" ? ("model", "\"gpt-4o-mini\"") : f).ToList();
        Assert.Equal(expected, Fields(sent));
        Assert.Contains("\"temperature\":1.0e2", sent, StringComparison.Ordinal);
        Assert.Contains("""caf\u00e9 \"quoted\" \ud83d\ude00 <b>&amp;</b>""", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapped_model_keeps_the_rest_of_a_compact_body_byte_for_byte()
    {
        var sent = Rewrite(Rich, "gpt-4o-mini");

        Assert.Equal(Rich.Replace("\"model\":\"fast\"", "\"model\":\"gpt-4o-mini\"", StringComparison.Ordinal), sent);
    }

    [Fact]
    public void A_model_in_the_middle_or_at_the_end_is_mapped_in_place()
    {
        Assert.Equal(
            """{"messages":[],"model":"gpt-4o-mini","n":2}""",
            Rewrite("""{"messages":[],"model":"fast","n":2}""", "gpt-4o-mini"));
        Assert.Equal(
            """{"messages":[],"model":"meta-llama/Llama-3-8B"}""",
            Rewrite("""{"messages":[],"model":"llama"}""", "meta-llama/Llama-3-8B"));
    }

    [Fact]
    public void A_stream_without_stream_options_gets_include_usage_and_nothing_else_changes()
    {
        const string Json = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true,"seed":7}""";

        var sent = Rewrite(Json, "gpt-4o");

        Assert.Equal(Fields(Json).Append(("stream_options", """{"include_usage":true}""")), Fields(sent));
    }

    [Fact]
    public void A_stream_keeps_its_other_stream_options_and_gets_include_usage()
    {
        const string Json = """{"model":"gpt-4o","stream_options":{"include_obfuscation":false,"x":{"y":[1.50]}},"messages":[],"stream":true}""";

        var sent = Rewrite(Json, "gpt-4o");

        var fields = Fields(sent);
        Assert.Equal(["model", "stream_options", "messages", "stream"], fields.Select(f => f.Name));
        Assert.Equal("""{"include_obfuscation":false,"x":{"y":[1.50]},"include_usage":true}""", fields[1].Raw);
    }

    [Fact]
    public void A_stream_that_turned_usage_off_still_gets_it_upstream_once()
    {
        const string Json = """{"model":"gpt-4o","messages":[],"stream":true,"stream_options":{"include_usage":false,"other":1}}""";

        var sent = Rewrite(Json, "gpt-4o");

        using var document = JsonDocument.Parse(sent);
        var options = document.RootElement.GetProperty("stream_options");
        Assert.Equal([("include_usage", "true"), ("other", "1")], options.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())));
    }

    [Fact]
    public void A_stream_with_null_stream_options_gets_include_usage()
    {
        var sent = Rewrite("""{"model":"gpt-4o","messages":[],"stream":true,"stream_options":null}""", "gpt-4o");

        Assert.Equal("""{"model":"gpt-4o","messages":[],"stream":true,"stream_options":{"include_usage":true}}""", sent);
    }

    [Fact]
    public void A_stream_with_a_mapped_model_gets_both_changes()
    {
        var sent = Rewrite("""{"model":"fast","messages":[],"stream":true}""", "gpt-4o-mini");

        Assert.Equal("""{"model":"gpt-4o-mini","messages":[],"stream":true,"stream_options":{"include_usage":true}}""", sent);
    }

    [Theory]
    [InlineData("""{"model":"fast","messages":[]}""")]
    [InlineData("""{"model":"fast","messages":[],"stream":false}""")]
    [InlineData("""{"model":"fast","messages":[],"stream":null}""")]
    public void A_single_shot_request_never_gets_stream_options(string json)
    {
        var sent = Rewrite(json, "gpt-4o-mini");

        Assert.DoesNotContain("stream_options", sent, StringComparison.Ordinal);
        Assert.Equal(json.Replace("fast", "gpt-4o-mini", StringComparison.Ordinal), sent);
    }

    [Fact]
    public void A_single_shot_request_keeps_stream_options_it_sent_untouched()
    {
        const string Json = """{"model":"fast","messages":[],"stream_options":{"include_usage":false}}""";

        Assert.Equal(Json.Replace("fast", "gpt-4o-mini", StringComparison.Ordinal), Rewrite(Json, "gpt-4o-mini"));
    }

    [Fact]
    public void The_result_is_valid_json_with_the_same_top_level_names()
    {
        var sent = Rewrite(Rich, "gpt-4o-mini");

        using var document = JsonDocument.Parse(sent);
        Assert.Equal(Fields(Rich).Select(f => f.Name), document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Unknown_property_names_with_escapes_or_unusual_characters_are_kept_as_they_spell()
    {
        const string Json = """{"model":"fast","caf\u00e9":1,"a+b<c>":2,"x\"y":3,"emoji😀":4,"messages":[]}""";

        var sent = Rewrite(Json, "gpt-4o-mini");

        using var document = JsonDocument.Parse(sent);
        Assert.Equal(
            [("model", "\"gpt-4o-mini\""), ("café", "1"), ("a+b<c>", "2"), ("x\"y", "3"), ("emoji😀", "4"), ("messages", "[]")],
            document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())));
    }

    [Fact]
    public void Unknown_property_names_are_kept_byte_for_byte_not_re_escaped()
    {
        const string Json = """{"model":"fast","caf\u00e9":1,"a+b<c>":2,"x\"y":3,"emoji😀":4,"messages":[]}""";

        Assert.Equal(Json.Replace("fast", "gpt-4o-mini", StringComparison.Ordinal), Rewrite(Json, "gpt-4o-mini"));
    }

    [Fact]
    public void The_clients_whitespace_and_layout_survive_a_rewrite()
    {
        const string Json = "{\n  \"model\" : \"fast\",\n  \"messages\": [ {\"role\": \"user\", \"content\": \"hi\"} ],\n  \"stream\": true\n}\n";

        var sent = Rewrite(Json, "gpt-4o-mini");

        Assert.Equal(
            "{\n  \"model\" : \"gpt-4o-mini\",\n  \"messages\": [ {\"role\": \"user\", \"content\": \"hi\"} ],\n  \"stream\": true\n,\"stream_options\":{\"include_usage\":true}}\n",
            sent);
        using var document = JsonDocument.Parse(sent);
    }

    [Fact]
    public void An_empty_stream_options_object_gets_include_usage_without_a_stray_comma()
    {
        Assert.Equal(
            """{"model":"gpt-4o","messages":[],"stream":true,"stream_options":{"include_usage":true}}""",
            Rewrite("""{"model":"gpt-4o","messages":[],"stream":true,"stream_options":{}}""", "gpt-4o"));
    }

    [Fact]
    public void A_model_whose_property_name_is_written_with_escapes_is_still_mapped()
    {
        // Inspect reads "mod\u0065l" as model; the rewrite must map that same field, not forward the alias.
        var sent = Rewrite("""{"mod\u0065l":"fast","messages":[]}""", "gpt-4o-mini");

        using var document = JsonDocument.Parse(sent);
        Assert.Equal([("model", "\"gpt-4o-mini\""), ("messages", "[]")], document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())));
    }

    [Fact]
    public void Stream_options_whose_property_name_is_written_with_escapes_is_not_duplicated()
    {
        var sent = Rewrite("""{"model":"gpt-4o","messages":[],"stream":true,"stream\u005foptions":{"x":1}}""", "gpt-4o");

        using var document = JsonDocument.Parse(sent);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["model", "messages", "stream", "stream_options"], names);
        Assert.Equal("""{"x":1,"include_usage":true}""", document.RootElement.GetProperty("stream_options").GetRawText());
    }
}
