using Conversations.Core.Conversations;
using Conversations.Core.Requests;

namespace Conversations.Abstractions.Grains;

/// <summary>Queries across conversations (a user's list). Stateless: any silo answers from the store.</summary>
public interface IConversationDirectoryGrain : IGrainWithIntegerKey
{
    Task<ConversationListPage> ListByOwner(string ownerId, PageQuery query);
}
