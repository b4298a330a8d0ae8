namespace Conversations.Abstractions.Storage;

/// <summary>
/// A write found a message already stored at the sequence it meant to use: another activation of the
/// conversation (on another silo, during a failover) wrote first. The writer's view is stale; it must
/// reload rather than retry.
/// </summary>
public sealed class StaleHistoryException(string conversationId, long sequence)
    : Exception($"Conversation {conversationId} already has a message at sequence {sequence}.")
{
    public string ConversationId { get; } = conversationId;

    public long Sequence { get; } = sequence;
}
