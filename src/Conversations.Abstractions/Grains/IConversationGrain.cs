using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using OneOf;

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

    /// <summary>A single-shot turn. Long generations must not hit the default 30 s call timeout.</summary>
    [ResponseTimeout("00:30:00")]
    Task<OneOf<TurnResult, ConversationError>> Send(string ownerId, SendMessage request);

    /// <summary>A streamed turn; disposing the enumeration early cancels the upstream request.</summary>
    IAsyncEnumerable<TurnEvent> Stream(string ownerId, SendMessage request, CancellationToken cancellationToken = default);
}
