namespace Conversations.Abstractions.Storage;

/// <summary>
/// An append found a message already stored at the sequence it meant to use (or the conversation gone):
/// another activation of the conversation (on another silo, during a failover) wrote first. The writer's
/// view is stale; it must reload rather than retry. Nothing of the refused turn was written.
/// </summary>
public sealed record StaleHistory(string ConversationId, long Sequence);
