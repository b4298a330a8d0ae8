using Conversations.Core.Errors;
using Conversations.Core.Messages;

namespace Conversations.Core.Conversations;

/// <summary>
/// What a streamed turn reports, in order: <see cref="Started"/> once the upstream has accepted the
/// request; then its output item by item — <see cref="ItemAdded"/>, the item's deltas (<see cref="Delta"/>
/// for a message's text, <see cref="RefusalDelta"/>, <see cref="ArgumentsDelta"/> for a function call),
/// <see cref="ItemDone"/> — then exactly one of <see cref="Completed"/> or <see cref="Failed"/>. A turn
/// refused outright (busy, not found, upstream said no) yields only <see cref="Failed"/>, so the host can
/// still answer with a plain HTTP error.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record TurnEvent
{
    /// <summary>The upstream accepted the request and began to answer.</summary>
    /// <param name="Response">The turn's response as it begins (in progress, no output yet), for the Responses API's first events.</param>
    [GenerateSerializer, Immutable]
    public sealed record Started(
        [property: Id(0)] string CompletionId,
        [property: Id(1)] DateTimeOffset Created,
        [property: Id(2)] string Model,
        [property: Id(3)] Responses.ResponseRecord? Response = null) : TurnEvent;

    /// <summary>An output item begins: an assistant message with no content yet, or a function call with no arguments yet.</summary>
    [GenerateSerializer, Immutable]
    public sealed record ItemAdded([property: Id(0)] Items.Item Item) : TurnEvent;

    /// <summary>More text of the current output message.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Delta([property: Id(0)] string Content) : TurnEvent;

    /// <summary>More of the current output message's refusal.</summary>
    [GenerateSerializer, Immutable]
    public sealed record RefusalDelta([property: Id(0)] string Text) : TurnEvent;

    /// <summary>More of the current function call's arguments.</summary>
    [GenerateSerializer, Immutable]
    public sealed record ArgumentsDelta([property: Id(0)] string Text) : TurnEvent;

    /// <summary>The current output item is whole: its final form.</summary>
    [GenerateSerializer, Immutable]
    public sealed record ItemDone([property: Id(0)] Items.Item Item) : TurnEvent;

    /// <summary>The turn's response is stored (when it is kept) and the conversation free for its next turn.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Completed([property: Id(0)] Responses.ResponseRecord Response) : TurnEvent;

    /// <summary>
    /// The turn failed, or was cut short. If it had started, what arrived is kept, and
    /// <paramref name="Response"/> is the turn's response as kept (failed, or incomplete when cut short).
    /// </summary>
    [GenerateSerializer, Immutable]
    public sealed record Failed(
        [property: Id(0)] ConversationError Error,
        [property: Id(1)] Responses.ResponseRecord? Response = null) : TurnEvent;
}
