using System.Text.Json;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Grains.Tests.Harness;

/// <summary>What the fake upstream was sent, read from the recorded request bodies.</summary>
internal static class UpstreamRequests
{
    /// <summary>The chat requests whose body mentions <paramref name="marker"/> (tests put a unique one in their messages).</summary>
    public static List<FakeRequest> Mentioning(this FakeOpenAiServer fake, string marker) =>
        [.. fake.ChatRequests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal))];

    /// <summary>The request's <c>messages</c> as (role, content) pairs, in order.</summary>
    public static List<(string Role, string Content)> Messages(this FakeRequest request) =>
        [.. request.Json.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))];

    /// <summary>
    /// The request's <c>messages</c>, one line each, whatever their kind: <c>user: text</c> (text parts
    /// joined, <c>[image url]</c> and <c>[file name]</c> for the others), <c>assistant: text</c>,
    /// <c>assistant calls name#call_id arguments</c> per tool call, <c>tool#call_id: output</c>.
    /// </summary>
    public static List<string> Transcript(this FakeRequest request)
    {
        var lines = new List<string>();
        foreach (var message in request.Json.GetProperty("messages").EnumerateArray())
        {
            var role = message.GetProperty("role").GetString()!;
            if (role == "tool")
            {
                lines.Add($"tool#{message.GetProperty("tool_call_id").GetString()}: {Text(message.GetProperty("content"))}");
                continue;
            }

            if (message.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null)
            {
                lines.Add($"{role}: {Text(content)}");
            }

            if (message.TryGetProperty("tool_calls", out var calls))
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.GetProperty("function");
                    lines.Add($"{role} calls {function.GetProperty("name").GetString()}#{call.GetProperty("id").GetString()} {function.GetProperty("arguments").GetString()}");
                }
            }
        }

        return lines;
    }

    private static string Text(JsonElement content) =>
        content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("type").GetString() switch
            {
                "text" => part.GetProperty("text").GetString(),
                "image_url" => $"[image {part.GetProperty("image_url").GetProperty("url").GetString()}]",
                "file" => $"[file {part.GetProperty("file").GetProperty("filename").GetString()}]",
                var other => $"[{other}]",
            }));

    public static string? String(this FakeRequest request, string name) =>
        request.Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static double? Number(this FakeRequest request, string name) =>
        request.Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static bool Has(this FakeRequest request, string name) => request.Json.TryGetProperty(name, out _);

    /// <summary>True when the request asked for a stream with usage in its last chunk.</summary>
    public static bool AskedForStreamWithUsage(this FakeRequest request) =>
        request.Json.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True
        && request.Json.TryGetProperty("stream_options", out var options)
        && options.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;
}
