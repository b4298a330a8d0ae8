using Conversations.Core.Conversations;
using Conversations.Core.Messages;
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
    Task<bool> CreateAsync(Conversation conversation, IReadOnlyList<Message> items, CancellationToken cancellationToken = default);

    /// <summary>The conversation with its messages in sequence order, or null if there is none.</summary>
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

    /// <summary>The owner's conversations, newest first for <see cref="SortOrder.Descending"/>, paged after a conversation id.</summary>
    Task<ConversationPage> ListByOwnerAsync(string ownerId, PageQuery query, CancellationToken cancellationToken = default);
}
