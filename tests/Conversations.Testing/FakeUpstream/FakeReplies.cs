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

    /// <summary>The fake's usage: prompt tokens as given, one completion token per streamed piece.</summary>
    public static TokenUsage UsageOf(long promptTokens, string content) => new(promptTokens, Pieces(content).Count);

    /// <summary>The fake's prompt count: 3 to prime the reply, and per message 4 plus its words.</summary>
    public static long PromptTokensOf(IEnumerable<string> messageContents) =>
        3 + messageContents.Sum(c => 4L + c.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

    public static string Completion(string id, long created, string model, string content, TokenUsage usage, string finishReason = "stop") =>
        new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = content,
                    ["refusal"] = null,
                    ["annotations"] = new JsonArray(),
                },
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = UsageJson(usage),
            ["service_tier"] = "default",
            ["system_fingerprint"] = SystemFingerprint,
        }.ToJsonString();

    /// <summary>
    /// The data of every event of a realistic stream, without <c>[DONE]</c>: a role chunk with empty content,
    /// one chunk per piece (each with <c>obfuscation</c> padding and <c>usage: null</c>), a finish chunk with an
    /// empty delta and, when asked for, a usage chunk with <c>choices: []</c>.
    /// </summary>
    public static IEnumerable<string> StreamEvents(string id, long created, string model, string content, bool includeUsage, TokenUsage usage, string finishReason = "stop")
    {
        var index = 0;
        yield return Chunk(id, created, model, new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null, includeUsage, index++);
        foreach (var piece in Pieces(content))
        {
            yield return Chunk(id, created, model, new JsonObject { ["content"] = piece }, null, includeUsage, index++);
        }

        yield return Chunk(id, created, model, new JsonObject(), finishReason, includeUsage, index++);
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

    public static string ModelList(IEnumerable<string> modelIds) =>
        new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. modelIds.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id,
                ["object"] = "model",
                ["created"] = 1721172741,
                ["owned_by"] = "system",
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

    private static JsonObject UsageJson(TokenUsage usage) => new()
    {
        ["prompt_tokens"] = usage.PromptTokens,
        ["completion_tokens"] = usage.CompletionTokens,
        ["total_tokens"] = usage.TotalTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = 0,
            ["audio_tokens"] = 0,
            ["accepted_prediction_tokens"] = 0,
            ["rejected_prediction_tokens"] = 0,
        },
    };

    // OpenAI pads chunks with random characters so their sizes do not reveal the tokens; a fixed pattern will do.
    private static string Obfuscation(int index) => "Xk9q2Zb7Lm"[..(1 + (index * 3 % 10))];
}
