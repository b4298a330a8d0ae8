using Conversations.Core.Requests;
using Conversations.Core.Upstream;

namespace Conversations.Core.Errors;

/// <summary>Every expected way a conversation operation can fail.</summary>
[GenerateSerializer, Immutable]
public abstract record ConversationError
{
    /// <summary>No such conversation for this caller: it never existed, was deleted, or is someone else's.</summary>
    [GenerateSerializer, Immutable]
    public sealed record NotFound : ConversationError;

    /// <summary>A turn is already running on this conversation.</summary>
    [GenerateSerializer, Immutable]
    public sealed record Busy : ConversationError;

    [GenerateSerializer, Immutable]
    public sealed record Invalid([property: Id(0)] ValidationError Error) : ConversationError;

    [GenerateSerializer, Immutable]
    public sealed record Upstream([property: Id(0)] UpstreamError Error) : ConversationError;

    /// <summary>The conversation's history moved on under this activation (another silo wrote first).</summary>
    [GenerateSerializer, Immutable]
    public sealed record Conflict : ConversationError;

    /// <summary>The idempotency key came with a different request before, or its first request is still running.</summary>
    [GenerateSerializer, Immutable]
    public sealed record KeyRefused([property: Id(0)] Idempotency.KeyRefusal Refusal) : ConversationError;

    /// <summary>The conversation has no such item (or had it, and it was deleted).</summary>
    [GenerateSerializer, Immutable]
    public sealed record ItemNotFound([property: Id(0)] string ItemId) : ConversationError;

    /// <summary>No response with this id for this caller: unknown, deleted, expired, not stored, or someone else's.</summary>
    [GenerateSerializer, Immutable]
    public sealed record ResponseNotFound([property: Id(0)] string ResponseId) : ConversationError;

    /// <summary>The response a request means to continue does not exist for this caller.</summary>
    [GenerateSerializer, Immutable]
    public sealed record PreviousResponseNotFound([property: Id(0)] string ResponseId) : ConversationError;

    /// <summary>
    /// The input does not fit the model's context window: it has <paramref name="Tokens"/> tokens (after leaving
    /// out all it may, when <paramref name="Truncated"/>), and only <paramref name="Fits"/> fit in a window of
    /// <paramref name="Window"/> less what is kept for the answer. Refused before the upstream is called.
    /// </summary>
    [GenerateSerializer, Immutable]
    public sealed record ContextLengthExceeded(
        [property: Id(0)] long Tokens,
        [property: Id(1)] long Fits,
        [property: Id(2)] long Window,
        [property: Id(3)] bool Truncated) : ConversationError;

    /// <summary>The silo is stopping: the turn was refused, or ended when the drain time ran out.</summary>
    [GenerateSerializer, Immutable]
    public sealed record ShuttingDown : ConversationError;

    /// <summary>
    /// The user has all the places of one of their limits of running things taken: <paramref name="Limit"/> is
    /// <c>streams</c> (concurrent streams, which background responses count among) or <c>background_responses</c>.
    /// </summary>
    [GenerateSerializer, Immutable]
    public sealed record LimitReached([property: Id(0)] string Limit, [property: Id(1)] int Allowed) : ConversationError;

    public static readonly ConversationError NotFoundError = new NotFound();
    public static readonly ConversationError BusyError = new Busy();
}
