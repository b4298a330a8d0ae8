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
