namespace Conversations.Core.Conversations;

/// <summary>
/// What a conversation remembers of an idempotency key: the request it came with, and the reply it
/// produced (empty while that turn is still running).
/// </summary>
public sealed record TurnKeyEntry(string RequestHash, string ReplyMessageId, DateTimeOffset At)
{
    public bool Running => ReplyMessageId.Length == 0;
}
