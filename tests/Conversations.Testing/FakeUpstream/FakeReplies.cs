using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conversations.Core.Messages;

namespace Conversations.Testing.FakeUpstream;

/// <summary>
/// The fake upstream's realistic OpenAI JSON: what it answers by default, and builders for scripted replies.
/// Shapes follow recorded OpenAI traffic, odd fields included.
/// </summary>
public static class FakeReplies
{
    /// <summary>The <c>created</c> of scripted replies (2025-07-04T12:33:20Z).</summary>
    public const long FixedCreated = 1751632400;

    public const string SystemFingerprint = "fp_fake0c5e2a";

    /// <summary>
    /// The default reply to a user message: "Say X" is answered "X" (so "Say this is a test!" gets
    /// "This is a test!"), anything else "You said: X".
    /// </summary>
    public static string ReplyTo(string lastUserMessage)
    {
        var text = lastUserMessage.Trim();
        if (text.StartsWith("say ", StringComparison.OrdinalIgnoreCase) && text.Length > 4)
        {
            var what = text[4..].Trim();
            return char.ToUpperInvariant(what[0]) + what[1..];
        }

        return $"You said: {text}";
    }

    /// <summary>The default reply after a tool's result: it quotes what the tool returned.</summary>
    public static string AfterToolResult(string toolOutput) => $"The tool returned: {toolOutput}";

    /// <summary>
    /// The arguments of the default tool call: the last user message's text as the first string property
    /// of the function's parameters (<c>{"city":"Paris?"}</c>), or <c>{}</c> when it takes none.
    /// </summary>
    public static string ArgumentsFor(JsonElement? parameters, string lastUserMessage)
    {
        if (parameters is { ValueKind: JsonValueKind.Object } schema
            && schema.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                var isString = property.Value.ValueKind != JsonValueKind.Object
                    || !property.Value.TryGetProperty("type", out var type)
                    || (type.ValueKind == JsonValueKind.String && type.GetString() == "string");
                if (isString)
                {
                    return new JsonObject { [property.Name] = lastUserMessage.Trim() }.ToJsonString();
                }
            }
        }

        return "{}";
    }

    /// <summary>A message's text: string content as it is, the text parts of an array joined, anything else empty.</summary>
    public static string TextOf(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }

                return text.ToString();
            default:
                return "";
        }
    }

    /// <summary>How the default reply is streamed: each word with the space before it.</summary>
    public static IReadOnlyList<string> Pieces(string content)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i < content.Length; i++)
        {
            if (content[i] == ' ' && content[i - 1] != ' ')
            {
                pieces.Add(content[start..i]);
                start = i;
            }
        }

        if (content.Length > 0)
        {
            pieces.Add(content[start..]);
        }

        return pieces;
    }

    /// <summary>
    /// How a tool call's arguments are streamed: in pieces of up to five characters (never splitting a
    /// surrogate pair), as OpenAI streams them a few characters at a time.
    /// </summary>
    public static IReadOnlyList<string> ArgumentPieces(string arguments)
    {
        var pieces = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(arguments);
        var piece = new StringBuilder();
        while (enumerator.MoveNext())
        {
            piece.Append(enumerator.GetTextElement());
            if (piece.Length >= 5)
            {
                pieces.Add(piece.ToString());
                piece.Clear();
            }
        }

        if (piece.Length > 0)
        {
            pieces.Add(piece.ToString());
        }

        return pieces;
    }

    /// <summary>The fake's usage: prompt tokens as given, one completion token per streamed piece.</summary>
    public static TokenUsage UsageOf(long promptTokens, string content) => new(promptTokens, Pieces(content).Count);

    /// <summary>The fake's usage of an answer: one completion token per streamed piece, and one more per tool call (its name).</summary>
    public static TokenUsage UsageOf(long promptTokens, FakeAnswer answer) => new(
        promptTokens,
        Pieces(answer.Text).Count + Pieces(answer.Refusal ?? "").Count + answer.ToolCalls.Sum(call => 1 + ArgumentPieces(call.Arguments).Count));

    /// <summary>The fake's prompt count: 3 to prime the reply, and per message 4 plus its words.</summary>
    public static long PromptTokensOf(IEnumerable<string> messageContents) =>
        3 + messageContents.Sum(c => 4L + c.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

    public static string Completion(string id, long created, string model, string content, TokenUsage usage, string finishReason = "stop") =>
        AnswerCompletion(id, created, model, FakeAnswer.Says(content) with { FinishReason = finishReason }, usage);

    /// <summary>
    /// A <c>chat.completion</c> saying <paramref name="answer"/>: its text as the content (null when it has
    /// only tool calls or a refusal, as OpenAI sends it), its tool calls, its refusal.
    /// </summary>
    public static string AnswerCompletion(string id, long created, string model, FakeAnswer answer, TokenUsage usage)
    {
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = answer.Text.Length == 0 && (answer.Refusal is not null || !answer.ToolCalls.IsDefaultOrEmpty) ? null : answer.Text,
        };
        if (!answer.ToolCalls.IsDefaultOrEmpty)
        {
            message["tool_calls"] = new JsonArray([.. answer.ToolCalls.Select(call => (JsonNode)new JsonObject
            {
                ["id"] = call.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            })]);
        }

        message["refusal"] = answer.Refusal;
        message["annotations"] = new JsonArray();
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = answer.FinishReasonOrDefault,
            }),
            ["usage"] = UsageJson(usage),
            ["service_tier"] = "default",
            ["system_fingerprint"] = SystemFingerprint,
        }.ToJsonString();
    }

    /// <summary>
    /// The data of every event of a realistic stream, without <c>[DONE]</c>: a role chunk with empty content,
    /// one chunk per piece (each with <c>obfuscation</c> padding and <c>usage: null</c>), a finish chunk with an
    /// empty delta and, when asked for, a usage chunk with <c>choices: []</c>.
    /// </summary>
    public static IEnumerable<string> StreamEvents(string id, long created, string model, string content, bool includeUsage, TokenUsage usage, string finishReason = "stop") =>
        AnswerStreamEvents(id, created, model, FakeAnswer.Says(content) with { FinishReason = finishReason }, includeUsage, usage);

    /// <summary>
    /// The data of every event of a stream saying <paramref name="answer"/>, without <c>[DONE]</c>, in OpenAI's
    /// order: a role chunk (content <c>""</c> for text, null otherwise), the text in word pieces, the refusal in
    /// word pieces, then per tool call a chunk naming it (index, id, function name, empty arguments) and its
    /// arguments in pieces of a few characters; a finish chunk with an empty delta; and, when asked for, the
    /// usage chunk.
    /// </summary>
    public static IEnumerable<string> AnswerStreamEvents(string id, long created, string model, FakeAnswer answer, bool includeUsage, TokenUsage usage)
    {
        var index = 0;
        var textFirst = answer.Text.Length > 0 || (answer.Refusal is null && answer.ToolCalls.IsDefaultOrEmpty);
        yield return Chunk(id, created, model, new JsonObject { ["role"] = "assistant", ["content"] = textFirst ? "" : null, ["refusal"] = null }, null, includeUsage, index++);
        foreach (var piece in Pieces(answer.Text))
        {
            yield return Chunk(id, created, model, new JsonObject { ["content"] = piece }, null, includeUsage, index++);
        }

        foreach (var piece in Pieces(answer.Refusal ?? ""))
        {
            yield return Chunk(id, created, model, new JsonObject { ["refusal"] = piece }, null, includeUsage, index++);
        }

        var calls = answer.ToolCalls.IsDefaultOrEmpty ? [] : answer.ToolCalls;
        for (var call = 0; call < calls.Length; call++)
        {
            yield return Chunk(id, created, model, ToolCallDelta(call, calls[call].Id, calls[call].Name, ""), null, includeUsage, index++);
            foreach (var piece in ArgumentPieces(calls[call].Arguments))
            {
                yield return Chunk(id, created, model, ToolCallDelta(call, null, null, piece), null, includeUsage, index++);
            }
        }

        yield return Chunk(id, created, model, new JsonObject(), answer.FinishReasonOrDefault, includeUsage, index++);
        if (includeUsage)
        {
            yield return new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["service_tier"] = "default",
                ["system_fingerprint"] = SystemFingerprint,
                ["choices"] = new JsonArray(),
                ["usage"] = UsageJson(usage),
                ["obfuscation"] = Obfuscation(index),
            }.ToJsonString();
        }
    }

    public static string ErrorEnvelope(string message, string type, string? code, string? param) =>
        new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        }.ToJsonString();

    public static string ModelList(IEnumerable<string> modelIds, IReadOnlyDictionary<string, long>? windows = null) =>
        new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. modelIds.Select(id =>
            {
                var model = new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "model",
                    ["created"] = 1721172741,
                    ["owned_by"] = "system",
                };
                if (windows is not null && windows.TryGetValue(id, out var window))
                {
                    model["max_model_len"] = window;
                }

                return (JsonNode)model;
            })]),
        }.ToJsonString();

    private static string Chunk(string id, long created, string model, JsonObject delta, string? finishReason, bool includeUsage, int index)
    {
        var chunk = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["service_tier"] = "default",
            ["system_fingerprint"] = SystemFingerprint,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
        };
        if (includeUsage)
        {
            chunk["usage"] = null;
        }

        chunk["obfuscation"] = Obfuscation(index);
        return chunk.ToJsonString();
    }

    /// <summary>
    /// A delta with one piece of the tool call at <paramref name="index"/>: the first names the call
    /// (<c>{"index","id","type","function":{"name","arguments":""}}</c>), later ones carry only arguments.
    /// </summary>
    private static JsonObject ToolCallDelta(int index, string? callId, string? name, string arguments)
    {
        var function = new JsonObject();
        if (name is not null)
        {
            function["name"] = name;
        }

        function["arguments"] = arguments;
        var call = new JsonObject { ["index"] = index };
        if (callId is not null)
        {
            call["id"] = callId;
            call["type"] = "function";
        }

        call["function"] = function;
        return new JsonObject { ["tool_calls"] = new JsonArray(call) };
    }

    private static JsonObject UsageJson(TokenUsage usage) => new()
    {
        ["prompt_tokens"] = usage.PromptTokens,
        ["completion_tokens"] = usage.CompletionTokens,
        ["total_tokens"] = usage.TotalTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = usage.CachedTokens, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = usage.ReasoningTokens,
            ["audio_tokens"] = 0,
            ["accepted_prediction_tokens"] = 0,
            ["rejected_prediction_tokens"] = 0,
        },
    };

    // OpenAI pads chunks with random characters so their sizes do not reveal the tokens; a fixed pattern will do.
    private static string Obfuscation(int index) => "Xk9q2Zb7Lm"[..(1 + (index * 3 % 10))];
}
