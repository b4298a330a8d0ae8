using Conversations.Core.Errors;
using Conversations.Core.Messages;

namespace Conversations.Core.Conversations;

/// <summary>
/// What a streamed turn reports, in order: <see cref="Started"/> once the upstream has accepted the
/// request, any number of <see cref="Delta"/>s, then exactly one of <see cref="Completed"/> or
/// <see cref="Failed"/>. A turn refused outright (busy, not found, upstream said no) yields only
/// <see cref="Failed"/>, so the host can still answer with a plain HTTP error.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record TurnEvent
{
    [GenerateSerializer, Immutable]
    public sealed record Started(
        [property: Id(0)] string CompletionId,
        [property: Id(1)] DateTimeOffset Created,
        [property: Id(2)] string Model) : TurnEvent;

    [GenerateSerializer, Immutable]
    public sealed record Delta([property: Id(0)] string Content) : TurnEvent;

    /// <summary>The reply is stored and the conversation free for its next turn.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Completed([property: Id(0)] Message Reply) : TurnEvent;

    /// <summary>The turn failed. If it had started, what arrived is stored as an incomplete reply.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Failed([property: Id(0)] ConversationError Error) : TurnEvent;
}
