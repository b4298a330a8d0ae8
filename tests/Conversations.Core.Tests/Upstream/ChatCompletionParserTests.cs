using System.Text;
using Conversations.Core.Messages;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

public sealed class ChatCompletionParserTests
{
    private static ReadOnlySpan<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private const string RealCompletion = """
        {
          "id": "chatcmpl-BpQ3s9aXbYc1dEfGhIjKlMnOpQrSt",
          "object": "chat.completion",
          "created": 1751630000,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "This is a test!",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 13,
            "completion_tokens": 6,
            "total_tokens": 19,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_34a54ae93c"
        }
        """;

    [Fact]
    public void A_real_completion_is_read_with_its_id_model_content_reason_and_usage()
    {
        var completion = ChatCompletionParser.ParseCompletion(Utf8(RealCompletion)).AsT0;

        Assert.Equal(
            new ChatCompletion("chatcmpl-BpQ3s9aXbYc1dEfGhIjKlMnOpQrSt", 1751630000, "gpt-4o-mini-2024-07-18", "This is a test!", "stop", new TokenUsage(13, 6)),
            completion);
    }

    [Fact]
    public void A_refusal_is_kept_as_the_content()
    {
        const string json = """
            {"id":"chatcmpl-r","object":"chat.completion","created":1,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}
            """;

        Assert.Equal("I can't help with that.", ChatCompletionParser.ParseCompletion(Utf8(json)).AsT0.Content);
    }

    [Fact]
    public void Only_choice_zero_is_kept_whatever_its_position()
    {
        const string json = """
            {"id":"c","created":1,"model":"m","choices":[
              {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"length"},
              {"index":0,"message":{"role":"assistant","content":"first"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1,"completion_tokens":2}}
            """;

        var completion = ChatCompletionParser.ParseCompletion(Utf8(json)).AsT0;

        Assert.Equal(("first", "stop"), (completion.Content, completion.FinishReason));
    }

    [Fact]
    public void Numbers_written_as_floats_or_strings_are_read_as_whole_numbers()
    {
        const string json = """
            {"id":"c","created":1751630000.0,"model":"m","choices":[{"index":0.0,"message":{"content":"ok"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12.0,"completion_tokens":"3","total_tokens":1.5e1}}
            """;

        var completion = ChatCompletionParser.ParseCompletion(Utf8(json)).AsT0;

        Assert.Equal((1751630000L, "ok", new TokenUsage(12, 3)), (completion.Created, completion.Content, completion.Usage));
    }

    [Fact]
    public void Missing_usage_and_empty_choices_still_parse()
    {
        var completion = ChatCompletionParser.ParseCompletion(Utf8("""{"id":"c","created":2,"model":"m","choices":[]}""")).AsT0;

        Assert.Equal(new ChatCompletion("c", 2, "m", "", "", TokenUsage.Zero), completion);
    }

    [Fact]
    public void Content_given_as_parts_is_joined()
    {
        const string json = """{"choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"text","text":"Hello, "},{"type":"text","text":"world"}]},"finish_reason":"stop"}]}""";

        Assert.Equal("Hello, world", ChatCompletionParser.ParseCompletion(Utf8(json)).AsT0.Content);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"id\":\"c\",\"choices\":[")]
    [InlineData("{\"id\":\"c\"}")]
    [InlineData("{\"choices\":[]} trailing")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    public void Anything_that_is_not_a_completion_is_malformed(string body)
    {
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseCompletion(Utf8(body)).AsT1);
    }

    /// <summary>
    /// Found by the parser fuzz suite: a string the reader cannot turn into text (a lone surrogate escape,
    /// invalid UTF-8) threw out of the parsers instead of reading as a malformed answer.
    /// </summary>
    [Fact]
    public void A_string_that_is_not_text_makes_an_answer_malformed_never_an_exception()
    {
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseCompletion(Utf8("""{"choices":[],"usage":{"prompt_tokens":"\ud800"}}""")).AsT1);
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseChunk(Utf8("""{"created":"\udfff","choices":[]}""")).AsT1);
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseModels(Utf8("""{"data":[{"id":"m","max_model_len":"\ud800"}]}""")).AsT1);
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseCompletion([.. Utf8("""{"choices":[{"message":{"content":" """), 0xFF, .. Utf8("\"}}]}")]).AsT1);
    }

    [Fact]
    public void An_error_envelope_in_a_successful_answer_is_an_error_not_an_empty_reply()
    {
        var error = ChatCompletionParser.ParseCompletion(Utf8("""{"error":{"message":"overloaded","type":"server_error"}}""")).AsT1;

        Assert.Equal("overloaded", Assert.IsType<UpstreamError.ServerError>(error).Message);
    }

    [Fact]
    public void The_role_chunk_has_empty_content()
    {
        const string json = """{"id":"chatcmpl-X","object":"chat.completion.chunk","created":1751630000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"bX9k"}""";

        var chunk = ChatCompletionParser.ParseChunk(Utf8(json)).AsT0;

        Assert.Equal(new ChatCompletionChunk("chatcmpl-X", 1751630000, "gpt-4o-mini-2024-07-18", "", "", null), chunk);
    }

    [Fact]
    public void A_content_chunk_carries_its_delta_and_no_usage()
    {
        const string json = """{"id":"chatcmpl-X","object":"chat.completion.chunk","created":1751630000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_34a54ae93c","choices":[{"index":0,"delta":{"content":" test"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Zq1"}""";

        var chunk = ChatCompletionParser.ParseChunk(Utf8(json)).AsT0;

        Assert.Equal((" test", "", (TokenUsage?)null), (chunk.ContentDelta, chunk.FinishReason, chunk.Usage));
    }

    [Fact]
    public void The_finish_chunk_has_an_empty_delta_and_a_reason()
    {
        const string json = """{"id":"chatcmpl-X","object":"chat.completion.chunk","created":1751630000,"model":"m","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null}""";

        var chunk = ChatCompletionChunkOf(json);

        Assert.Equal(("", "length"), (chunk.ContentDelta, chunk.FinishReason));
    }

    [Fact]
    public void The_usage_chunk_has_no_choices_and_the_full_usage()
    {
        const string json = """{"id":"chatcmpl-X","object":"chat.completion.chunk","created":1751630000,"model":"m","service_tier":"default","system_fingerprint":"fp_1","choices":[],"usage":{"prompt_tokens":13,"completion_tokens":6,"total_tokens":19,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"k"}""";

        var chunk = ChatCompletionChunkOf(json);

        Assert.Equal(("", "", new TokenUsage(13, 6)), (chunk.ContentDelta, chunk.FinishReason, chunk.Usage));
    }

    [Fact]
    public void A_refusal_delta_is_streamed_as_content()
    {
        Assert.Equal("I can't", ChatCompletionChunkOf("""{"id":"c","choices":[{"index":0,"delta":{"content":null,"refusal":"I can't"},"finish_reason":null}]}""").ContentDelta);
    }

    [Fact]
    public void Unicode_and_escapes_in_a_delta_survive()
    {
        Assert.Equal("é 😀 \"q\"\n", ChatCompletionChunkOf("""{"choices":[{"index":0,"delta":{"content":"\u00e9 \ud83d\ude00 \"q\"\n"}}]}""").ContentDelta);
    }

    [Fact]
    public void Unknown_fields_of_any_shape_are_ignored()
    {
        const string json = """{"future":{"nested":[1,{"a":null}]},"choices":[{"index":0,"delta":{"content":"x","tool_calls":[{"id":"t"}],"reasoning_content":"hmm"},"logprobs":{"content":[{"token":"x","logprob":-0.1}]},"extra":true}],"usage":null,"more":[[]]}""";

        Assert.Equal("x", ChatCompletionChunkOf(json).ContentDelta);
    }

    [Fact]
    public void A_chunk_for_another_choice_only_adds_nothing()
    {
        var chunk = ChatCompletionChunkOf("""{"id":"c","choices":[{"index":1,"delta":{"content":"other"},"finish_reason":"stop"}]}""");

        Assert.Equal(("", ""), (chunk.ContentDelta, chunk.FinishReason));
    }

    [Fact]
    public void An_error_payload_mid_stream_is_a_stream_failure_with_its_message_and_code()
    {
        var error = ChatCompletionParser.ParseChunk(Utf8("""{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":"server_error"}}""")).AsT1;

        Assert.Equal(
            new UpstreamError.StreamFailed("The server had an error while processing your request.", "server_error"),
            error);
    }

    [Fact]
    public void An_error_given_as_a_string_or_without_a_message_is_still_a_stream_failure()
    {
        Assert.Equal(new UpstreamError.StreamFailed("boom", null), ChatCompletionParser.ParseChunk(Utf8("""{"error":"boom"}""")).AsT1);
        var silent = Assert.IsType<UpstreamError.StreamFailed>(ChatCompletionParser.ParseChunk(Utf8("""{"error":{"code":503}}""")).AsT1);
        Assert.Equal("503", silent.Code);
        Assert.NotEmpty(silent.Message);
    }

    [Fact]
    public void A_null_error_member_is_no_error()
    {
        Assert.Equal("ok", ChatCompletionChunkOf("""{"error":null,"choices":[{"index":0,"delta":{"content":"ok"}}]}""").ContentDelta);
    }

    [Theory]
    [InlineData("[DONE]")]
    [InlineData("[DONE] x")]
    [InlineData("{\"choices\":[]}[DONE]")]
    [InlineData("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("")]
    public void A_chunk_that_cannot_be_read_is_malformed(string data)
    {
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseChunk(Utf8(data)).AsT1);
    }

    [Fact]
    public void A_model_list_is_read_and_entries_without_an_id_are_dropped()
    {
        const string json = """
            {"object":"list","data":[
              {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},
              {"id":"llama3.2:latest","object":"model","created":1.7e9,"owned_by":"library","extra":{}},
              {"object":"model","created":1},
              {"id":"bare"}
            ]}
            """;

        var models = ChatCompletionParser.ParseModels(Utf8(json)).AsT0;

        Assert.Equal<ModelInfo>(
            [new ModelInfo("gpt-4o-mini", 1721172741, "system"), new ModelInfo("llama3.2:latest", 1_700_000_000, "library"), new ModelInfo("bare", 0, "")],
            models);
    }

    [Fact]
    public void A_model_list_entry_carries_the_context_window_the_upstream_reports()
    {
        var json = """
            {"object":"list","data":[
              {"id":"meta-llama/Llama-3.1-8B-Instruct","object":"model","created":1,"owned_by":"vllm","root":"meta-llama/Llama-3.1-8B-Instruct","max_model_len":32768},
              {"id":"mistral","object":"model","created":1,"owned_by":"library","context_length":8192},
              {"id":"gpt-4o","object":"model","created":1,"owned_by":"system"},
              {"id":"odd","object":"model","created":1,"owned_by":"x","max_model_len":null}
            ]}
            """;

        var models = ChatCompletionParser.ParseModels(Utf8(json)).AsT0;

        Assert.Equal([32768L, 8192L, null, null], models.Select(m => m.ContextWindow));
    }

    [Theory]
    [InlineData("{\"object\":\"list\"}")]
    [InlineData("{\"data\":{}}")]
    [InlineData("[]")]
    [InlineData("<html></html>")]
    public void A_model_list_without_a_data_array_is_malformed(string body)
    {
        Assert.IsType<UpstreamError.MalformedResponse>(ChatCompletionParser.ParseModels(Utf8(body)).AsT1);
    }

    private static ChatCompletionChunk ChatCompletionChunkOf(string json)
    {
        var parsed = ChatCompletionParser.ParseChunk(Utf8(json));
        Assert.True(parsed.IsT0, parsed.IsT1 ? parsed.AsT1.ToString() : "");
        return parsed.AsT0;
    }
}
