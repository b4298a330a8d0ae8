using System.Text;
using Conversations.Core.Messages;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>Tool calls, refusals and usage details, read from completions and chunks as OpenAI sends them.</summary>
public sealed class ToolCallParsingTests
{
    private static ReadOnlySpan<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static ChatCompletion Completion(string json)
    {
        var parsed = ChatCompletionParser.ParseCompletion(Utf8(json));
        Assert.True(parsed.IsT0, parsed.IsT1 ? parsed.AsT1.ToString() : "");
        return parsed.AsT0;
    }

    private static ChatCompletionChunk Chunk(string json)
    {
        var parsed = ChatCompletionParser.ParseChunk(Utf8(json));
        Assert.True(parsed.IsT0, parsed.IsT1 ? parsed.AsT1.ToString() : "");
        return parsed.AsT0;
    }

    private const string ToolCallCompletion = """
        {
          "id": "chatcmpl-CTool0000000000000000000001",
          "object": "chat.completion",
          "created": 1756890300,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": null,
                "tool_calls": [
                  { "id": "call_Paris0000000000000001", "type": "function", "function": { "name": "get_weather", "arguments": "{\"city\":\"Paris\"}" } },
                  { "id": "call_Rome00000000000000002", "type": "function", "function": { "name": "get_weather", "arguments": "{\"city\":\"Rome\"}" } }
                ],
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "tool_calls"
            }
          ],
          "usage": {
            "prompt_tokens": 80,
            "completion_tokens": 45,
            "total_tokens": 125,
            "prompt_tokens_details": { "cached_tokens": 64, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 12, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_560af6e559"
        }
        """;

    [Fact]
    public void A_completion_with_tool_calls_gives_each_call_with_its_id_name_and_arguments()
    {
        var completion = Completion(ToolCallCompletion);

        Assert.Equal<UpstreamToolCall>(
            [
                new("call_Paris0000000000000001", "get_weather", """{"city":"Paris"}"""),
                new("call_Rome00000000000000002", "get_weather", """{"city":"Rome"}"""),
            ],
            completion.ToolCalls);
        Assert.Equal(("", "", "", "tool_calls"), (completion.Content, completion.Text, completion.Refusal, completion.FinishReason));
    }

    [Fact]
    public void Usage_details_give_the_cached_and_reasoning_tokens()
    {
        Assert.Equal(new TokenUsage(80, 45, CachedTokens: 64, ReasoningTokens: 12), Completion(ToolCallCompletion).Usage);
    }

    [Theory]
    [InlineData("""{"prompt_tokens":5,"completion_tokens":2,"prompt_tokens_details":null,"completion_tokens_details":null}""")]
    [InlineData("""{"prompt_tokens":5,"completion_tokens":2,"prompt_tokens_details":{},"completion_tokens_details":{"audio_tokens":3}}""")]
    [InlineData("""{"prompt_tokens":5,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":null},"completion_tokens_details":7}""")]
    public void Missing_or_odd_usage_details_count_as_zero(string usage)
    {
        Assert.Equal(new TokenUsage(5, 2), Completion("""{"id":"c","choices":[{"index":0,"message":{"content":"ok"}}],"usage":""" + usage + "}").Usage);
    }

    [Fact]
    public void A_refusal_is_kept_apart_from_the_text_as_well_as_standing_in_for_it()
    {
        var completion = Completion("""{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}""");

        Assert.Equal(("I can't help with that.", "", "I can't help with that."), (completion.Content, completion.Text, completion.Refusal));
    }

    [Fact]
    public void Text_with_tool_calls_keeps_both()
    {
        var completion = Completion("""{"id":"c","choices":[{"index":0,"message":{"content":"Checking.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}""");

        Assert.Equal("Checking.", completion.Text);
        Assert.Equal<UpstreamToolCall>([new("call_1", "f", "{}")], completion.ToolCalls);
    }

    [Fact]
    public void Arguments_sent_as_an_object_are_kept_as_its_json_text()
    {
        var completion = Completion("""{"id":"c","choices":[{"index":0,"message":{"content":"","tool_calls":[{"id":"call_1","function":{"name":"f","arguments":{"city": "Paris", "days": [1, 2]}}}]}}]}""");

        Assert.Equal("""{"city": "Paris", "days": [1, 2]}""", Assert.Single(completion.ToolCalls).Arguments);
    }

    [Fact]
    public void Tool_calls_of_other_choices_and_entries_that_are_not_objects_are_passed_over()
    {
        var completion = Completion("""
            {"id":"c","choices":[
              {"index":1,"message":{"tool_calls":[{"id":"call_other","function":{"name":"g","arguments":"{}"}}]}},
              {"index":0,"message":{"content":null,"tool_calls":[7,null,{"id":"call_1","function":{"name":"f"}}]},"finish_reason":"tool_calls"}]}
            """);

        Assert.Equal<UpstreamToolCall>([new("call_1", "f", "")], completion.ToolCalls);
    }

    [Fact]
    public void The_first_tool_call_chunk_names_the_call_and_its_function()
    {
        var chunk = Chunk("""{"id":"chatcmpl-T","object":"chat.completion.chunk","created":1756890300,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x"}""");

        Assert.Equal<ToolCallFragment>([new(0, "call_1", "get_weather", "")], chunk.ToolCalls);
        Assert.Equal(("", "", ""), (chunk.ContentDelta, chunk.TextDelta, chunk.RefusalDelta));
    }

    [Fact]
    public void Later_tool_call_chunks_carry_only_their_index_and_a_piece_of_the_arguments()
    {
        var chunk = Chunk("""{"id":"chatcmpl-T","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"ci"}}]},"logprobs":null,"finish_reason":null}],"usage":null}""");

        Assert.Equal<ToolCallFragment>([new(1, null, null, "{\"ci")], chunk.ToolCalls);
    }

    [Fact]
    public void A_chunk_may_carry_pieces_of_several_calls_and_an_entry_without_an_index_is_at_its_position()
    {
        var chunk = Chunk("""{"choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_a","function":{"name":"f","arguments":"{}"}},{"id":"call_b","function":{"name":"g","arguments":"{}"}}]}}]}""");

        Assert.Equal<ToolCallFragment>([new(0, "call_a", "f", "{}"), new(1, "call_b", "g", "{}")], chunk.ToolCalls);
    }

    [Fact]
    public void Empty_ids_and_names_in_a_piece_count_as_not_given()
    {
        var chunk = Chunk("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"","function":{"name":null,"arguments":"x"}}]}}]}""");

        Assert.Equal<ToolCallFragment>([new(0, null, null, "x")], chunk.ToolCalls);
    }

    [Fact]
    public void A_refusal_delta_is_told_apart_from_text()
    {
        var refusal = Chunk("""{"id":"c","choices":[{"index":0,"delta":{"content":null,"refusal":"I can't"},"finish_reason":null}]}""");
        var text = Chunk("""{"id":"c","choices":[{"index":0,"delta":{"content":"Sure","refusal":null},"finish_reason":null}]}""");

        Assert.Equal(("I can't", "", "I can't"), (refusal.ContentDelta, refusal.TextDelta, refusal.RefusalDelta));
        Assert.Equal(("Sure", "Sure", ""), (text.ContentDelta, text.TextDelta, text.RefusalDelta));
    }

    [Fact]
    public void The_usage_chunk_gives_the_usage_details()
    {
        var chunk = Chunk("""{"id":"c","choices":[],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":192,"audio_tokens":0}}}""");

        Assert.Equal(new TokenUsage(2006, 300, 1920, 192), chunk.Usage);
    }

    [Fact]
    public void A_plain_content_chunk_has_no_tool_calls_and_no_refusal()
    {
        var chunk = Chunk("""{"id":"c","choices":[{"index":0,"delta":{"content":" quick"},"logprobs":null,"finish_reason":null}],"usage":null}""");

        Assert.Equal(new ChatCompletionChunk("c", 0, "", " quick", "", null), chunk);
        Assert.Empty(chunk.ToolCalls);
    }

    [Theory]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{"}}]}}]""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{"}}]}}]}}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":{"a":}}}]}}]}""")]
    public void A_chunk_with_broken_tool_calls_is_malformed(string data)
    {
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseChunk(Utf8(data)).AsT1);
    }

    [Fact]
    public void Completions_with_the_same_tool_calls_are_equal()
    {
        Assert.Equal(Completion(ToolCallCompletion), Completion(ToolCallCompletion));
    }

    [Fact]
    public void A_whole_completion_as_chunks_keeps_its_text_refusal_tool_calls_and_usage()
    {
        var completion = Completion(ToolCallCompletion) with { Content = "Checking." };

        var chunks = ChatCompletionChunk.FromCompletion(completion);

        Assert.Equal(2, chunks.Length);
        Assert.Equal(("Checking.", "tool_calls", (TokenUsage?)null), (chunks[0].TextDelta, chunks[0].FinishReason, chunks[0].Usage));
        Assert.Equal<ToolCallFragment>(
            [new(0, "call_Paris0000000000000001", "get_weather", """{"city":"Paris"}"""), new(1, "call_Rome00000000000000002", "get_weather", """{"city":"Rome"}""")],
            chunks[0].ToolCalls);
        Assert.Equal(completion.Usage, chunks[1].Usage);
    }
}
