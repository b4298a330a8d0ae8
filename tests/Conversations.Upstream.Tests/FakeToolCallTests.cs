using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Conversations.Core.Messages;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Upstream.Tests;

/// <summary>
/// The fake upstream calls tools the way OpenAI does, unscripted: offered tools, it calls the first with the
/// user's text as its argument; given a tool's result, it answers with text quoting it. Scripted tool calls,
/// refusals and usage details come out in OpenAI's shapes too.
/// </summary>
public sealed class FakeToolCallTests
{
    private const string Tools = """
        "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                 {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]
        """;

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> PostAsync(FakeOpenAiServer fake, string json)
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body(json));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task<List<JsonElement>> StreamAsync(FakeOpenAiServer fake, string json)
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(fake.BaseUrl + "/chat/completions", Body(json));
        var events = new List<string>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item.Data);
        }

        Assert.Equal("[DONE]", events[^1]);
        return [.. events[..^1].Select(e => JsonDocument.Parse(e).RootElement)];
    }

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    [Fact]
    public async Task Offered_tools_it_calls_the_first_with_the_users_text_single_shot()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();

        var reply = await PostAsync(fake, $$$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Paris"}],{{{Tools}}}}""");

        var choice = reply.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.StartsWith("call_", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Offered_tools_it_streams_the_call_in_argument_pieces_as_openai_does()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();

        var chunks = await StreamAsync(fake, $$$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Paris"}],{{{Tools}}},"stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, Delta(chunks[0]).GetProperty("content").ValueKind);
        var named = Delta(chunks[1]).GetProperty("tool_calls")[0];
        Assert.Equal((0, "function", "get_weather", ""), (named.GetProperty("index").GetInt32(), named.GetProperty("type").GetString(), named.GetProperty("function").GetProperty("name").GetString(), named.GetProperty("function").GetProperty("arguments").GetString()));
        var pieces = chunks[2..^2].Select(c => Delta(c).GetProperty("tool_calls")[0]).ToList();
        Assert.True(pieces.Count >= 2, "the arguments come in several pieces");
        Assert.All(pieces, p => Assert.False(p.TryGetProperty("id", out _)));
        Assert.Equal("""{"city":"Paris"}""", string.Concat(pieces.Select(p => p.GetProperty("function").GetProperty("arguments").GetString())));
        Assert.Equal("tool_calls", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
    }

    [Fact]
    public async Task After_a_tool_result_it_answers_with_text_quoting_it()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();

        var reply = await PostAsync(fake, $$$"""
            {"model":"gpt-4o-mini","messages":[
              {"role":"user","content":"Paris"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"21C and sunny"}],
             {{{Tools}}}}
            """);

        var choice = reply.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(FakeReplies.AfterToolResult("21C and sunny"), choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Contains("21C and sunny", choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Tool_choice_none_gets_text_and_a_forced_function_gets_that_function()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();

        var none = await PostAsync(fake, $$$"""{"model":"m","messages":[{"role":"user","content":"hi"}],{{{Tools}}},"tool_choice":"none"}""");
        var forced = await PostAsync(fake, """{"model":"m","messages":[{"role":"user","content":"hi"}],""" + Tools + ""","tool_choice":{"type":"function","function":{"name":"get_time"}}}""");

        Assert.Equal("You said: hi", none.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var call = forced.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal(("get_time", "{}"), (call.GetProperty("name").GetString(), call.GetProperty("arguments").GetString()));
    }

    [Fact]
    public async Task A_user_message_given_as_parts_is_answered_from_its_text()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();

        var reply = await PostAsync(fake, """{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Say hello"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""");

        Assert.Equal("Hello", reply.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Scripted_tool_calls_play_single_shot_or_streamed_as_asked()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Enqueue(FakeResponse.ToolCalls([.. OpenAiSamples.WeatherToolCalls]), FakeResponse.ToolCalls([.. OpenAiSamples.WeatherToolCalls]));

        var single = await PostAsync(fake, """{"model":"m","messages":[{"role":"user","content":"x"}]}""");
        var streamed = await StreamAsync(fake, """{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}""");

        Assert.Equal(
            OpenAiSamples.WeatherToolCalls.Select(c => c.Id),
            single.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var second = streamed.Select(Delta).Where(d => d.TryGetProperty("tool_calls", out _)).Select(d => d.GetProperty("tool_calls")[0]).Where(c => c.GetProperty("index").GetInt32() == 1).ToList();
        Assert.Equal(OpenAiSamples.WeatherToolCalls[1].Id, second[0].GetProperty("id").GetString());
        Assert.Equal(OpenAiSamples.WeatherToolCalls[1].Arguments, string.Concat(second.Select(c => c.GetProperty("function").GetProperty("arguments").GetString())));
    }

    [Fact]
    public async Task A_scripted_refusal_has_null_content_and_streams_as_refusal_pieces()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Enqueue(FakeResponse.Refusal("I can't help with that."), FakeResponse.Refusal("I can't help with that."));

        var single = await PostAsync(fake, """{"model":"m","messages":[{"role":"user","content":"x"}]}""");
        var streamed = await StreamAsync(fake, """{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}""");

        var message = single.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        Assert.Equal("I can't help with that.", message.GetProperty("refusal").GetString());
        Assert.Equal(
            "I can't help with that.",
            string.Concat(streamed.Select(Delta).Where(d => d.TryGetProperty("refusal", out var r) && r.ValueKind == JsonValueKind.String).Select(d => d.GetProperty("refusal").GetString())));
    }

    [Fact]
    public async Task Scripted_usage_details_are_reported()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Enqueue(FakeResponse.Answer(FakeAnswer.Says("Cached.") with { Usage = new TokenUsage(100, 2, CachedTokens: 64, ReasoningTokens: 1) }));

        var usage = (await PostAsync(fake, """{"model":"m","messages":[{"role":"user","content":"x"}]}""")).GetProperty("usage");

        Assert.Equal(64, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt64());
        Assert.Equal(1, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt64());
        Assert.Equal(102, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void The_default_text_stream_is_unchanged_by_the_answer_model()
    {
        var usage = new TokenUsage(5, 4);

        const string Head = """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"default","system_fingerprint":"fp_fake0c5e2a","choices":[{"index":0,""" + "\"";
        Assert.Equal(
            [
                Head + """delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"obfuscation":"X"}""",
                Head + """delta":{"content":"Ok"},"logprobs":null,"finish_reason":null}],"obfuscation":"Xk9q"}""",
                Head + """delta":{},"logprobs":null,"finish_reason":"stop"}],"obfuscation":"Xk9q2Zb"}""",
            ],
            FakeReplies.StreamEvents("c", 1, "m", "Ok", includeUsage: false, usage));
        Assert.Equal(
            """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":4,"total_tokens":9,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_fake0c5e2a"}""",
            FakeReplies.Completion("c", 1, "m", "Hi", usage));
    }
}
