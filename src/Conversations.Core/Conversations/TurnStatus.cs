using Conversations.Core.Requests;

namespace Conversations.Core.Conversations;

/// <summary>Whether a conversation is running a turn: one at a time, so a second one is refused rather than queued.</summary>
public abstract record TurnStatus
{
    public static readonly TurnStatus IdleStatus = new Idle();

    public sealed record Idle : TurnStatus;

    /// <param name="Key">The idempotency key the running turn was sent with; null for none.</param>
    public sealed record Running(IdempotencyKey? Key, DateTimeOffset StartedAt) : TurnStatus;
}
