namespace Conversations.Core.Conversations;

/// <summary>What to do with a turn sent with an idempotency key.</summary>
public abstract record TurnKeyCheck
{
    /// <summary>A key not seen (or seen more than <see cref="Requests.IdempotencyKey.Window"/> ago): run the turn.</summary>
    public sealed record Fresh : TurnKeyCheck;

    /// <summary>The same request again: answer with the reply it produced the first time.</summary>
    public sealed record Replay(string ReplyMessageId) : TurnKeyCheck;

    /// <summary>The key came with a different request.</summary>
    public sealed record Reused : TurnKeyCheck;

    /// <summary>The first request with this key is still running.</summary>
    public sealed record InUse : TurnKeyCheck;
}
