namespace Conversations.Abstractions.Storage;

/// <summary>
/// The idempotency key a turn was sent with, kept beside the turn (written in the same transaction),
/// so a repeat of the request finds the turn's reply instead of running the turn again.
/// </summary>
/// <param name="RequestHash">The fingerprint of the request the key first came with.</param>
/// <param name="ReplyMessageId">The turn's assistant reply.</param>
public sealed record StoredTurnKey(string Key, string RequestHash, string ReplyMessageId, DateTimeOffset CreatedAt);
