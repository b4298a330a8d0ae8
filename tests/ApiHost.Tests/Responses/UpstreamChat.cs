using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>What a Chat Completions request the fake upstream received asked for, read the way the tests compare it.</summary>
public static class UpstreamChat
{
    /// <summary>The request's messages as <c>role: text</c> lines (text parts joined; tool calls and tool results shown by their call).</summary>
    public static List<string> Messages(this FakeRequest request) =>
        [.. request.Json.GetProperty("messages").EnumerateArray().Select(Describe)];

    /// <summary>The chat completion requests that arrived after the first <paramref name="before"/>.</summary>
    public static List<FakeRequest> ChatRequestsSince(this FakeOpenAiServer upstream, int before) => [.. upstream.ChatRequests.Skip(before)];

    /// <summary>The chat completion requests whose body mentions <paramref name="marker"/> (tests put a unique one in their messages).</summary>
    public static List<FakeRequest> Mentioning(this FakeOpenAiServer upstream, string marker) =>
        [.. upstream.ChatRequests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal))];

    private static string Describe(JsonElement message)
    {
        var role = message.GetProperty("role").GetString();
        var text = message.TryGetProperty("content", out var content) ? FakeReplies.TextOf(content) : "";
        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            var called = calls.EnumerateArray().Select(call =>
                $"{call.GetProperty("id").GetString()} {call.GetProperty("function").GetProperty("name").GetString()} {call.GetProperty("function").GetProperty("arguments").GetString()}");
            return $"{role}: {text}[calls {string.Join("; ", called)}]";
        }

        return message.TryGetProperty("tool_call_id", out var callId)
            ? $"{role} {callId.GetString()}: {text}"
            : $"{role}: {text}";
    }
}
