using System.Collections.Immutable;

namespace Conversations.Core.Upstream;

/// <summary>
/// One entry of a Chat Completions <c>messages</c> array. <see cref="Role"/> is the wire name.
/// <see cref="Content"/> is always the message's plain text (its text parts joined), which is what the
/// offline model answers and what token counting reads; the other members are what a message carries
/// beyond text, and are empty on a text-only message, whose JSON is just <c>{"role":…,"content":…}</c>.
/// Two messages are equal when all their members are, the arrays item by item.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UpstreamMessage(
    [property: Id(0)] string Role,
    [property: Id(1)] string Content)
{
    /// <summary>
    /// The content as parts, when it is more than one text: then <c>content</c> is written as this array
    /// rather than as <see cref="Content"/>. Empty for content that is one text.
    /// </summary>
    [Id(2)]
    public ImmutableArray<UpstreamContentPart> Parts { get; init; } = [];

    /// <summary>An assistant message's <c>tool_calls</c>, in order; empty for none.</summary>
    [Id(3)]
    public ImmutableArray<UpstreamToolCall> ToolCalls { get; init; } = [];

    /// <summary>An assistant message's <c>refusal</c>; null for none.</summary>
    [Id(4)]
    public string? Refusal { get; init; }

    /// <summary>A <c>tool</c> message's <c>tool_call_id</c>: the call it answers; null on other roles.</summary>
    [Id(5)]
    public string? ToolCallId { get; init; }

    /// <summary><c>{"role":"tool","tool_call_id":…,"content":…}</c>: what a tool returned for a call.</summary>
    public static UpstreamMessage ToolResult(string callId, string output) =>
        new(UpstreamRoles.Tool, output) { ToolCallId = callId };

    public bool Equals(UpstreamMessage? other) =>
        other is not null
        && Role == other.Role
        && Content == other.Content
        && Refusal == other.Refusal
        && ToolCallId == other.ToolCallId
        && Parts.AsSpan().SequenceEqual(other.Parts.AsSpan())
        && ToolCalls.AsSpan().SequenceEqual(other.ToolCalls.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Role, Content, Refusal, ToolCallId, Parts.AsSpan().Length, ToolCalls.AsSpan().Length);
}
