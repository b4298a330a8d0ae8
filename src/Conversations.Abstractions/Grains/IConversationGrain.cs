using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using OneOf;
using Orleans.Concurrency;

namespace Conversations.Abstractions.Grains;

/// <summary>
/// One conversation, keyed by its id (<c>conv_…</c>). It holds the settings and the whole history,
/// runs one turn at a time, and answers <see cref="ConversationError.NotFound"/> to anyone but its owner.
/// </summary>
public interface IConversationGrain : IGrainWithStringKey
{
    Task<OneOf<Conversation, ConversationError>> Create(string ownerId, CreateConversation request);

    Task<OneOf<Conversation, ConversationError>> Get(string ownerId);

    Task<OneOf<Conversation, ConversationError>> Update(string ownerId, UpdateConversation request);

    /// <summary>Deletes the conversation and its history; returns what was deleted.</summary>
    Task<OneOf<Conversation, ConversationError>> Delete(string ownerId);

    Task<OneOf<MessagePage, ConversationError>> ListItems(string ownerId, PageQuery query);

    /// <summary>
    /// A single-shot turn (answered from the stored reply when its idempotency key was seen before). It interleaves with other calls so that a second turn meets
    /// <see cref="ConversationError.Busy"/> at once instead of queueing behind the first, and it may run
    /// far longer than the default 30 s call timeout.
    /// </summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:30:00")]
    Task<OneOf<TurnResult, ConversationError>> Send(string ownerId, SendMessage request, IdempotencyKey? idempotency = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A streamed turn. Disposing the enumeration early (the client went away) cancels the upstream
    /// request and keeps what arrived as an incomplete reply. With an idempotency key seen before, the
    /// stored reply is streamed again instead of running the turn twice.
    /// </summary>
    IAsyncEnumerable<TurnEvent> Stream(string ownerId, SendMessage request, IdempotencyKey? idempotency = null, CancellationToken cancellationToken = default);
}
