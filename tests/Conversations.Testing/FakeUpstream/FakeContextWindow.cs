using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Conversations.Testing.FakeUpstream;

/// <summary>
/// A model's context window as the fake enforces it, counted on its own (not with the service's code):
/// <c>o200k_base</c> tokens of each message's role, text, refusal and tool calls, 3 more per message and per
/// tool call, and 3 to prime the reply. A request over the window is refused exactly as OpenAI refuses one.
/// </summary>
public static class FakeContextWindow
{
    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>The prompt tokens of a chat completion request's messages, as the fake counts them.</summary>
    public static long PromptTokens(JsonElement body)
    {
        var total = 3L;
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return total;
        }

        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            total += 3 + Count(Text(message, "role")) + Count(Text(message, "refusal"));
            if (message.TryGetProperty("content", out var content))
            {
                total += Count(FakeReplies.TextOf(content));
            }

            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.TryGetProperty("function", out var f) ? f : default;
                    total += 3 + Count(Text(function, "name")) + Count(Text(function, "arguments"));
                }
            }
        }

        return total;
    }

    /// <summary>
    /// OpenAI's 400 for a request over a window of <paramref name="window"/>: the messages alone, or the messages
    /// and the completion's cap together; null when the request fits.
    /// </summary>
    public static FakeResponse? Refusal(JsonElement body, long window)
    {
        var prompt = PromptTokens(body);
        var cap = MaxTokens(body);
        if (prompt + cap <= window)
        {
            return null;
        }

        var message = cap == 0
            ? $"This model's maximum context length is {window} tokens. However, your messages resulted in {prompt} tokens. Please reduce the length of the messages."
            : $"This model's maximum context length is {window} tokens. However, you requested {prompt + cap} tokens ({prompt} in the messages, {cap} in the completion). Please reduce the length of the messages or completion.";
        return FakeResponse.OpenAiError(400, message, "invalid_request_error", "context_length_exceeded", "messages");
    }

    private static long MaxTokens(JsonElement body)
    {
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (body.TryGetProperty(name, out var cap) && cap.ValueKind == JsonValueKind.Number && cap.TryGetInt64(out var value))
            {
                return value;
            }
        }

        return 0;
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static long Count(string text) => text.Length == 0 ? 0 : O200k.Value.CountTokens(text);
}
