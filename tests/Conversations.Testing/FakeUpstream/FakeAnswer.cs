using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Testing.FakeUpstream;

/// <summary>
/// What the fake model says to one request: text, a refusal, tool calls (after any text), or a mix. The fake
/// plays it single-shot or streamed, as the request asks (see <see cref="FakeResponse.Answer"/>).
/// </summary>
public sealed record FakeAnswer
{
    public string Text { get; init; } = "";

    /// <summary>The model's refusal; null for none.</summary>
    public string? Refusal { get; init; }

    public ImmutableArray<FakeToolCall> ToolCalls { get; init; } = [];

    /// <summary>The usage reported; null to have the fake count it (see <see cref="FakeReplies.UsageOf(long, FakeAnswer)"/>).</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>Why the model stopped; null for <c>tool_calls</c> when it calls tools and <c>stop</c> otherwise.</summary>
    public string? FinishReason { get; init; }

    public string FinishReasonOrDefault => FinishReason ?? (ToolCalls.IsDefaultOrEmpty ? "stop" : "tool_calls");

    public static FakeAnswer Says(string text) => new() { Text = text };

    public static FakeAnswer Refuses(string refusal) => new() { Refusal = refusal };

    public static FakeAnswer Calls(params FakeToolCall[] calls) => new() { ToolCalls = [.. calls] };
}
