using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Exports;
using Conversations.Core.Items;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Testing.Fuzzing;
using CsCheck;

namespace Conversations.Core.Tests.Fuzzing;

/// <summary>
/// Hostile bodies and queries thrown straight at the request parsers: each must answer with one of its
/// OneOf cases, never throw. The bodies start from a valid example of each and are bent by
/// <see cref="BodyMutations"/>; CsCheck shrinks a failure to a small input, which then becomes a regression
/// test. <c>CONVERSATIONS_FUZZ_SCALE</c> runs more cases.
/// </summary>
public sealed class ParserFuzzTests
{
    private const string ResponseExample = """
        {"model":"offline","instructions":"Be brief.","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"},{"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"},{"type":"input_file","file_data":"data:text/plain;base64,QQ==","filename":"a.txt"}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[]}]},{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},{"type":"function_call_output","call_id":"call_1","output":"{\"temp\":21}"},{"type":"compaction","encrypted_content":"summary"}],
         "conversation":"conv_0123456789abcdef0123456789abcdef","store":true,"stream":false,"temperature":0.5,"top_p":0.9,"max_output_tokens":100,"truncation":"auto",
         "tools":[{"type":"function","name":"get_weather","description":"d","parameters":{"type":"object","properties":{"city":{"type":"string","enum":["Paris"]}},"required":["city"]},"strict":true}],
         "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":true,"text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}},
         "reasoning":{"effort":"low"},"metadata":{"topic":"demo"},"context_management":[{"type":"compaction","compact_threshold":2000}],"include":["message.output_text.logprobs"]}
        """;

    private const string CompactExample = """
        {"model":"offline","conversation":"conv_0123456789abcdef0123456789abcdef","previous_response_id":"resp_0123456789abcdef0123456789abcdef","instructions":"x","input":[{"role":"user","content":"My name is Ada."},{"role":"assistant","content":"Hello, Ada!"}]}
        """;

    private const string ItemsExample = """
        {"items":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello!"}]},{"type":"message","role":"developer","content":"Be kind."},{"type":"function_call","call_id":"call_1","name":"f","arguments":"{}","status":"completed"},{"type":"function_call_output","call_id":"call_1","output":"ok"}]}
        """;

    private const string CreateConversationExample = """
        {"metadata":{"topic":"demo","title":"Trip"},"settings":{"model":"offline","instructions":"You are helpful.","temperature":0.7,"top_p":1,"max_tokens":100,"truncation":"auto"},"items":[{"type":"message","role":"user","content":"Hi"}]}
        """;

    private const string UpdateConversationExample = """
        {"metadata":{"title":"Trip to Lisbon"},"settings":{"temperature":null,"model":"offline","max_tokens":50}}
        """;

    private const string SendExample = """
        {"content":"Say this is a test!","stream":true,"model":"offline","temperature":0.2,"top_p":0.5,"max_tokens":10}
        """;

    private const string CreateUserExample = """
        {"name":"alice","limits":{"requests_per_minute":60,"tokens_per_day":200000,"concurrent_streams":2}}
        """;

    private const string ChatExample = """
        {"model":"offline","stream":true,"stream_options":{"include_usage":true},"temperature":0.7,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"ok"},{"role":"assistant","refusal":"no"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}
        """;

    private const string CompletionExample = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","refusal":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,"prompt_tokens_details":{"cached_tokens":0}}}
        """;

    private const string ChunkExample = """
        {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{"}}]},"logprobs":null,"finish_reason":null}],"usage":null}
        """;

    private const string ModelsExample = """
        {"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1,"owned_by":"openai","max_model_len":8192,"context_length":8192}]}
        """;

    private static readonly long Iterations = FuzzScale.Iterations(3_000);

    public static TheoryData<string> BodyParsers => new(Parsers.Keys);

    /// <summary>Each body parser, by name, with the valid example its hostile bodies are made from.</summary>
    private static readonly ImmutableDictionary<string, (string Example, Action<byte[]> Parse)> Parsers = new Dictionary<string, (string, Action<byte[]>)>
    {
        ["responses.create"] = (ResponseExample, bytes => Body(bytes, ResponseRequests.ParseCreate)),
        ["responses.compact"] = (CompactExample, bytes => Body(bytes, body => ResponseRequests.ParseCompact(body, "cmp_0123456789abcdef0123456789abcdef"))),
        ["responses.input"] = (ResponseExample, bytes => Body(bytes, body => body.ValueKind == JsonValueKind.Object && body.TryGetProperty("input", out var input)
            ? ItemRequests.ParseInput(input, "input")
            : ItemRequests.ParseInput(body, "input"))),
        ["conversations.items"] = (ItemsExample, bytes => Body(bytes, ItemRequests.ParseCreateItems)),
        ["conversations.create"] = (CreateConversationExample, bytes => Body(bytes, ConversationRequests.ParseCreate)),
        ["conversations.update"] = (UpdateConversationExample, bytes => Body(bytes, ConversationRequests.ParseUpdate)),
        ["conversations.send"] = (SendExample, bytes => Body(bytes, ConversationRequests.ParseSend)),
        ["admin.create_user"] = (CreateUserExample, bytes => Body(bytes, AdminRequests.ParseCreateUser)),
        ["chat.completions"] = (ChatExample, ChatCompletion),
        ["upstream.completion"] = (CompletionExample, bytes => Assert.NotNull(ChatCompletionParser.ParseCompletion(bytes).Value)),
        ["upstream.chunk"] = (ChunkExample, bytes => Assert.NotNull(ChatCompletionParser.ParseChunk(bytes).Value)),
        ["upstream.models"] = (ModelsExample, bytes => Assert.NotNull(ChatCompletionParser.ParseModels(bytes).Value)),
    }.ToImmutableDictionary();

    [Theory]
    [MemberData(nameof(BodyParsers))]
    public void A_hostile_body_gets_an_answer_from_the_parser_never_an_exception(string parser)
    {
        var (example, parse) = Parsers[parser];
        BodyMutations.Any.Sample(
            steps => parse(BodyMutations.Apply(example, steps)),
            iter: Iterations,
            print: steps => $"{string.Join(" | ", steps)} => {Printable(BodyMutations.Apply(example, steps))}");
    }

    [Fact]
    public void A_hostile_value_as_the_whole_body_gets_an_answer_from_every_parser()
    {
        HostileJson.Value.Sample(
            value =>
            {
                var bytes = Encoding.UTF8.GetBytes(value);
                _ = JsonBody.Parse(bytes);
                foreach (var (_, parse) in Parsers.Values)
                {
                    parse(bytes);
                }
            },
            iter: Iterations / 4);
    }

    [Fact]
    public void Hostile_query_values_get_an_answer_from_the_query_parsers()
    {
        var text = Gen.Frequency(
            (3, Gen.OneOf<string?>(null, "", " ", "0", "1", "-1", "100", "101", "20", "1e2", "NaN", "99999999999999999999", "asc", "desc", "ASC",
                "json", "markdown", "md", "%00", "\0", "\ud800", "conv_", "msg_0123456789abcdef0123456789abcdef", "message.output_text.logprobs")),
            (1, Gen.Char.Array[0, 300].Select(chars => (string?)new string(chars))));
        Gen.Select(text, text, text, text).Sample((limit, order, after, format) =>
        {
            Assert.NotNull(ConversationRequests.ParsePage(limit, order, after, SortOrder.Descending).Value);
            Assert.NotNull(ConversationRequests.ParsePage(limit, order, after, SortOrder.Ascending).Value);
            Assert.NotNull(ExportRequests.ParseFormat(format).Value);
            Assert.NotNull(IncludeQuery.Parse([limit, order], [after, format]).Value);
            Assert.NotNull(IdempotencyKey.From(after ?? "", order ?? "", Encoding.UTF8.GetBytes(format ?? "")).Value);
        }, iter: Iterations);
    }

    /// <summary>The stateless route's two steps, as its endpoint runs them: inspect the bytes, then read the messages.</summary>
    private static void ChatCompletion(byte[] bytes)
    {
        if (ChatCompletionsRequests.Inspect(bytes).TryPickT0(out var call, out _) && JsonBody.Parse(bytes).TryPickT0(out var body, out _))
        {
            Assert.NotNull(ChatCompletionsRequests.ToUpstreamRequest(body, call).Value);
        }
    }

    /// <summary>A body parser as the API host runs it: <see cref="JsonBody.Parse"/> first, the parser on what parsed.</summary>
    private static void Body<T>(byte[] bytes, Func<JsonElement, OneOf.OneOf<T, ValidationError>> parse)
    {
        if (JsonBody.Parse(bytes).TryPickT0(out var body, out _))
        {
            Assert.NotNull(parse(body).Value);
        }
    }

    private static string Printable(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= 400 ? text : $"{text[..400]}…({bytes.Length} bytes)";
    }
}
