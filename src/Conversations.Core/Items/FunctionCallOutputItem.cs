namespace Conversations.Core.Items;

/// <summary>What a client's function returned, for the model's <see cref="FunctionCallItem"/> with the same call id.</summary>
[GenerateSerializer, Immutable]
public sealed record FunctionCallOutputItem(
    string Id,
    long Sequence,
    ItemStatus Status,
    DateTimeOffset CreatedAt,
    ReplyInfo? Reply,
    [property: Id(0)] string CallId,
    [property: Id(1)] string Output) : Item(Id, Sequence, Status, CreatedAt, Reply);
