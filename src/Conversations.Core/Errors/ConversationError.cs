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

    /// <summary>The idempotency key was used before with a different request.</summary>
    [GenerateSerializer, Immutable]
    public sealed record IdempotencyKeyReused : ConversationError;

    /// <summary>The first request with this idempotency key is still running.</summary>
    [GenerateSerializer, Immutable]
    public sealed record IdempotencyKeyInUse : ConversationError;

    /// <summary>The silo is stopping: the turn was refused, or ended when the drain time ran out.</summary>
    [GenerateSerializer, Immutable]
    public sealed record ShuttingDown : ConversationError;

    public static readonly ConversationError NotFoundError = new NotFound();
    public static readonly ConversationError BusyError = new Busy();
}
