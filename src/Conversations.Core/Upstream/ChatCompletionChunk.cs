using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>
/// The parts of a <c>chat.completion.chunk</c> the service keeps. <see cref="Usage"/> is present only on
/// the usage chunk (the one with <c>choices: []</c>); <see cref="FinishReason"/> is empty until the last
/// content chunk. <see cref="ContentDelta"/> is the new text, or the new refusal when the delta has no
/// text, so a reader of text alone still shows a refusal; <see cref="TextDelta"/> and
/// <see cref="RefusalDelta"/> tell the two apart. Two chunks are equal when all their members are, the
/// tool call fragments one by one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatCompletionChunk(
    [property: Id(0)] string Id,
    [property: Id(1)] long Created,
    [property: Id(2)] string Model,
    [property: Id(3)] string ContentDelta,
    [property: Id(4)] string FinishReason,
    [property: Id(5)] TokenUsage? Usage)
{
    /// <summary>The delta's <c>refusal</c>; empty for none.</summary>
    [Id(6)]
    public string RefusalDelta { get; init; } = "";

    /// <summary>The delta's <c>tool_calls</c> pieces, in the order sent; empty for none.</summary>
    [Id(7)]
    public ImmutableArray<ToolCallFragment> ToolCalls { get; init; } = [];

    /// <summary>The new text alone, without the refusal <see cref="ContentDelta"/> stands in for.</summary>
    public string TextDelta => RefusalDelta.Length > 0 && ContentDelta == RefusalDelta ? "" : ContentDelta;

    /// <summary>
    /// A whole completion as the chunks a stream of it would be: one with everything the model said and
    /// why it stopped, then the usage chunk. For an upstream that answers a stream request in one piece.
    /// </summary>
    public static ImmutableArray<ChatCompletionChunk> FromCompletion(ChatCompletion completion)
    {
        var calls = completion.ToolCalls.AsSpan();
        var fragments = ImmutableArray.CreateBuilder<ToolCallFragment>(calls.Length);
        for (var i = 0; i < calls.Length; i++)
        {
            var call = calls[i];
            fragments.Add(new ToolCallFragment(i, call.Id, call.Name, call.Arguments));
        }

        return
        [
            new ChatCompletionChunk(completion.Id, completion.Created, completion.Model, completion.Content, completion.FinishReason, null)
            {
                RefusalDelta = completion.Refusal,
                ToolCalls = fragments.MoveToImmutable(),
            },
            new ChatCompletionChunk(completion.Id, completion.Created, completion.Model, "", "", completion.Usage),
        ];
    }

    public bool Equals(ChatCompletionChunk? other) =>
        other is not null
        && Id == other.Id
        && Created == other.Created
        && Model == other.Model
        && ContentDelta == other.ContentDelta
        && FinishReason == other.FinishReason
        && Usage == other.Usage
        && RefusalDelta == other.RefusalDelta
        && ToolCalls.AsSpan().SequenceEqual(other.ToolCalls.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Id, Created, Model, ContentDelta, FinishReason, Usage, RefusalDelta, ToolCalls.AsSpan().Length);
}
