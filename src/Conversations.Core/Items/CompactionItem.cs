namespace Conversations.Core.Items;

/// <summary>
/// A summary of everything before it, made by the model (<c>type: "compaction"</c>). From here on the context
/// sent upstream starts at this item, as a system message carrying <see cref="Summary"/>; the items it covers
/// stay in the history, listed as before. The summary is readable text, not OpenAI's encrypted form.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompactionItem(
    string Id,
    long Sequence,
    ItemStatus Status,
    DateTimeOffset CreatedAt,
    ReplyInfo? Reply,
    [property: Id(0)] string Summary) : Item(Id, Sequence, Status, CreatedAt, Reply);
