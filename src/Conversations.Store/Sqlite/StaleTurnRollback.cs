using Conversations.Abstractions.Storage;

namespace Conversations.Store.Sqlite;

/// <summary>
/// Thrown inside a write transaction to roll back a turn found stale part way; the store turns it back
/// into the <see cref="StaleHistory"/> value its callers see. It never leaves the store.
/// </summary>
internal sealed class StaleTurnRollback(StaleHistory stale) : Exception($"Conversation {stale.ConversationId} already has a message at sequence {stale.Sequence}.")
{
    public StaleHistory Stale { get; } = stale;
}
