using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using OneOf;
using OneOf.Types;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// Durable conversations. History is append-only: a turn inserts rows and never rewrites earlier
/// ones, so its cost does not grow with the length of the history.
/// </summary>
public interface IConversationStore
{
    /// <summary>Stores a new conversation and its seed items atomically. False if the id is taken.</summary>
    Task<bool> CreateAsync(Conversation conversation, IReadOnlyList<Item> items, CancellationToken cancellationToken = default);

    /// <summary>The conversation with its items in sequence order (deleted ones left out), or null if there is none.</summary>
    Task<StoredConversation?> LoadAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the conversation's metadata and settings (nothing else).</summary>
    Task UpdateAsync(Conversation conversation, CancellationToken cancellationToken = default);

    /// <summary>Deletes the conversation and its whole history. False if there was none.</summary>
    Task<bool> DeleteAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a turn's messages and adds its usage, all in one transaction; or, if any message's
    /// sequence is already taken (or the conversation is gone), writes nothing and answers <see cref="StaleHistory"/>.
    /// </summary>
    Task<OneOf<Success, StaleHistory>> AppendTurnAsync(TurnRecord turn, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends items that no turn produced (no usage, no key), in one transaction; or, if a position is
    /// taken (or the conversation is gone), writes nothing and answers <see cref="StaleHistory"/>.
    /// </summary>
    Task<OneOf<Success, StaleHistory>> AppendItemsAsync(string conversationId, IReadOnlyList<Item> items, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an item's content; its position stays taken, so positions only ever grow. False if the
    /// conversation has no such item (or it was deleted already).
    /// </summary>
    Task<bool> DeleteItemAsync(string conversationId, string itemId, CancellationToken cancellationToken = default);

    /// <summary>The owner's conversations, newest first for <see cref="SortOrder.Descending"/>, paged after a conversation id.</summary>
    Task<ConversationPage> ListByOwnerAsync(string ownerId, PageQuery query, CancellationToken cancellationToken = default);
}
