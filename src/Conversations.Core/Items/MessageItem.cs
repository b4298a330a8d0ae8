using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Items;

/// <summary>A message: what a person (or the system, or a developer) wrote, or what the model answered.</summary>
[GenerateSerializer, Immutable]
public sealed record MessageItem(
    string Id,
    long Sequence,
    ItemStatus Status,
    DateTimeOffset CreatedAt,
    ReplyInfo? Reply,
    [property: Id(0)] MessageRole Role,
    [property: Id(1)] ImmutableArray<ContentPart> Content) : Item(Id, Sequence, Status, CreatedAt, Reply)
{
    /// <summary>The message's text: its text parts (input or output) joined, refusals and other parts left out.</summary>
    public string Text => ContentParts.Text(Content);

    /// <summary>Equal when everything is, the content part by part (an array compares by reference otherwise).</summary>
    public bool Equals(MessageItem? other) =>
        other is not null && base.Equals(other) && Role == other.Role && Content.AsSpan().SequenceEqual(other.Content.AsSpan());

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Role, Content.Length);
}
