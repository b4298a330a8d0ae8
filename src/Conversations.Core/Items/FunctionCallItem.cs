namespace Conversations.Core.Items;

/// <summary>The model asked the client to call one of the functions it was offered.</summary>
/// <param name="CallId">The id the client answers with, in a <see cref="FunctionCallOutputItem"/>.</param>
/// <param name="Arguments">The arguments as the model wrote them: a JSON text, not necessarily valid JSON.</param>
[GenerateSerializer, Immutable]
public sealed record FunctionCallItem(
    string Id,
    long Sequence,
    ItemStatus Status,
    DateTimeOffset CreatedAt,
    ReplyInfo? Reply,
    [property: Id(0)] string CallId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Arguments) : Item(Id, Sequence, Status, CreatedAt, Reply);
