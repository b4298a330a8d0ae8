using Conversations.Abstractions.Grains;
using Conversations.Core.Requests;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Conversations;

[Collection(ConversationCollection.Name)]
public sealed class ConversationDirectoryTests(GrainCluster cluster)
{
    private IConversationDirectoryGrain Directory => cluster.Client.GetGrain<IConversationDirectoryGrain>(0);

    [Fact]
    public async Task An_owner_lists_only_their_own_conversations_newest_first_in_pages()
    {
        var owner = Requests.NewOwnerId();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = Requests.NewConversationId();
            Expect.Ok(await cluster.Grain<IConversationGrain>(id).Create(owner, Requests.Create(metadata: Requests.Metadata(("n", $"{i}")))));
            created.Add(id);
        }

        Expect.Ok(await cluster.Grain<IConversationGrain>(Requests.NewConversationId()).Create(Requests.NewOwnerId(), Requests.Create()));
        var deleted = Requests.NewConversationId();
        Expect.Ok(await cluster.Grain<IConversationGrain>(deleted).Create(owner, Requests.Create()));
        Expect.Ok(await cluster.Grain<IConversationGrain>(deleted).Delete(owner));

        var first = await Directory.ListByOwner(owner, Requests.Page(2, SortOrder.Descending));
        Assert.Equal([created[2], created[1]], first.Items.Select(c => c.Id));
        Assert.True(first.HasMore);
        Assert.Equal("2", first.Items[0].Metadata["n"]);
        var rest = await Directory.ListByOwner(owner, Requests.Page(2, SortOrder.Descending, first.Items[^1].Id));
        Assert.Equal([created[0]], rest.Items.Select(c => c.Id));
        Assert.False(rest.HasMore);

        var ascending = await Directory.ListByOwner(owner, Requests.Page(10, SortOrder.Ascending));
        Assert.Equal(created, ascending.Items.Select(c => c.Id));
        Assert.False(ascending.HasMore);
        Assert.All(ascending.Items, c => Assert.Equal(owner, c.OwnerId));
    }
}
