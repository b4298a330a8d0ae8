using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>
/// The parts of a <c>chat.completion</c> the service keeps. <see cref="Content"/> is the reply as text,
/// which is the refusal when the model refused and wrote no text, so a reader of text alone (a plain chat
/// turn) still shows it. <see cref="Text"/> and <see cref="Refusal"/> tell the two apart; <see cref="ToolCalls"/>
/// are the functions the model asked for. Two completions are equal when all their members are, the tool
/// calls one by one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatCompletion(
    [property: Id(0)] string Id,
    [property: Id(1)] long Created,
    [property: Id(2)] string Model,
    [property: Id(3)] string Content,
    [property: Id(4)] string FinishReason,
    [property: Id(5)] TokenUsage Usage)
{
    /// <summary>The message's <c>refusal</c>; empty for none.</summary>
    [Id(6)]
    public string Refusal { get; init; } = "";

    /// <summary>The message's <c>tool_calls</c>, in order; empty for none.</summary>
    [Id(7)]
    public ImmutableArray<UpstreamToolCall> ToolCalls { get; init; } = [];

    /// <summary>
    /// The text the model wrote, without the refusal <see cref="Content"/> stands in for. (An upstream that
    /// sent the same words as both text and refusal, which OpenAI never does, is read as refusing.)
    /// </summary>
    public string Text => Refusal.Length > 0 && Content == Refusal ? "" : Content;

    public bool Equals(ChatCompletion? other) =>
        other is not null
        && Id == other.Id
        && Created == other.Created
        && Model == other.Model
        && Content == other.Content
        && FinishReason == other.FinishReason
        && Usage == other.Usage
        && Refusal == other.Refusal
        && ToolCalls.AsSpan().SequenceEqual(other.ToolCalls.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Id, Created, Model, Content, FinishReason, Usage, Refusal, ToolCalls.AsSpan().Length);
}
