using Conversations.Abstractions.Grains;
using Conversations.Core.Messages;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Conversations;

/// <summary>
/// A host waiting on a single-shot turn asks the grain whether it is still answering that call, to learn
/// that the call was lost with its silo. The grain says yes exactly while the call runs, for that response
/// only, and answers while the turn holds the grain.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class AnsweringTests(GrainCluster cluster)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_conversation_is_answering_its_single_shot_turn_while_it_runs_and_not_after()
    {
        var owner = Requests.NewOwnerId();
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(items: [Requests.Item(MessageRole.User, "seed")])));
        var request = Requests.Send("Say something");
        Assert.False(await grain.IsAnswering(request.ResponseId));

        var held = HeldReply.SingleShot("Something");
        cluster.Fake.Enqueue(held.Response);
        var turn = grain.Send(owner, request);
        await held.Arrived.WaitAsync(Guard);

        Assert.True(await grain.IsAnswering(request.ResponseId).WaitAsync(Guard));
        Assert.False(await grain.IsAnswering(Requests.Send("Another").ResponseId).WaitAsync(Guard));

        held.Release();
        Expect.Ok(await turn);
        Assert.False(await grain.IsAnswering(request.ResponseId));
    }

    [Fact]
    public async Task A_response_is_answering_its_create_call_while_it_runs_and_not_after()
    {
        var owner = Requests.NewOwnerId();
        var request = Requests.Respond("Say something");
        var grain = cluster.Grain<IResponseGrain>(request.ResponseId);
        Assert.False(await grain.IsAnswering());

        var held = HeldReply.SingleShot("Something");
        cluster.Fake.Enqueue(held.Response);
        var turn = grain.Create(owner, request);
        await held.Arrived.WaitAsync(Guard);

        Assert.True(await grain.IsAnswering().WaitAsync(Guard));

        held.Release();
        Expect.Ok(await turn);
        Assert.False(await grain.IsAnswering());
    }
}
