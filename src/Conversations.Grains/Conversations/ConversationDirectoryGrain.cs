using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Core.Requests;
using Orleans.Concurrency;

namespace Conversations.Grains.Conversations;

[StatelessWorker]
public sealed class ConversationDirectoryGrain(IConversationStore store) : Grain, IConversationDirectoryGrain
{
    public async Task<ConversationListPage> ListByOwner(string ownerId, PageQuery query)
    {
        var page = await store.ListByOwnerAsync(ownerId, query);
        return new ConversationListPage(page.Items, page.HasMore);
    }
}
