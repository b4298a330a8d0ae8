using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>
/// A conversation's turn that keeps its response (the Responses API's <c>store</c>) writes it with the turn's
/// items in one transaction: both or neither. The response lives as long as its conversation.
/// </summary>
public abstract class TurnResponseBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    private static readonly DateTimeOffset Now = Samples.Start;

    [Fact]
    public async Task A_turns_response_is_stored_with_it_and_found_by_id()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        var turn = Samples.Turn(conversation, 1, new TokenUsage(10, 5)).WithResponse();

        await Expect.Appended(Store.Conversations.AppendTurnAsync(turn));

        await using var other = await OpenAsync();
        Expect.SameResponse(turn.Response!, await other.Responses.GetAsync(turn.Response!.Id, Now));
        Assert.Equal([turn.Response.Id], (await other.Responses.LoadChainAsync(turn.Response.Id, Now, 10)).Select(r => r.Id));
        // A conversation's response does not expire: it goes with the conversation.
        Assert.NotNull(await other.Responses.GetAsync(turn.Response.Id, Now.AddYears(10)));
        Assert.Equal(0, await other.Responses.PurgeExpiredAsync(Now.AddYears(10)));
        Assert.Equal(2, (await other.Conversations.LoadAsync(conversation.Id))!.Items.Length);
    }

    [Fact]
    public async Task A_turn_refused_as_stale_stores_no_response()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 2, new TokenUsage(1, 1))));

        var stale = Samples.Turn(conversation, 2, new TokenUsage(1, 1)).WithResponse();
        Expect.Stale(await Store.Conversations.AppendTurnAsync(stale));

        Assert.Null(await Store.Responses.GetAsync(stale.Response!.Id, Now));
        Assert.Empty(await Store.Responses.LoadChainAsync(stale.Response.Id, Now, 10));
    }

    [Fact]
    public async Task A_turn_whose_later_item_collides_stores_no_response()
    {
        var conversation = Samples.Conversation();
        // A hole at 2 and an item at 3: the turn's first item fits, its second does not.
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "one"), Samples.Input(3, "three")]);

        var colliding = Samples.Turn(conversation, 2, new TokenUsage(1, 1)).WithResponse();
        Assert.Equal(3, Expect.Stale(await Store.Conversations.AppendTurnAsync(colliding)).Sequence);

        Assert.Null(await Store.Responses.GetAsync(colliding.Response!.Id, Now));
    }

    [Fact]
    public async Task A_turn_for_a_deleted_conversation_stores_no_response()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        await Store.Conversations.DeleteAsync(conversation.Id);

        var orphan = Samples.Turn(conversation, 1, new TokenUsage(1, 1)).WithResponse();
        Expect.Stale(await Store.Conversations.AppendTurnAsync(orphan));

        Assert.Null(await Store.Responses.GetAsync(orphan.Response!.Id, Now));
    }

    [Fact]
    public async Task Deleting_a_conversation_deletes_its_responses_and_no_one_elses()
    {
        var conversation = Samples.Conversation();
        var neighbour = Samples.Conversation(ownerId: conversation.OwnerId);
        await Store.Conversations.CreateAsync(conversation, []);
        await Store.Conversations.CreateAsync(neighbour, []);
        var first = Samples.Turn(conversation, 1, new TokenUsage(1, 1)).WithResponse();
        var second = Samples.Turn(conversation, 3, new TokenUsage(1, 1)).WithResponse();
        var neighbours = Samples.Turn(neighbour, 1, new TokenUsage(1, 1)).WithResponse();
        await Expect.Appended(Store.Conversations.AppendTurnAsync(first));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(second));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(neighbours));
        // A response of no conversation that continues one of the conversation's.
        var continuation = Samples.Response(Samples.Turn(conversation, 5, new TokenUsage(1, 1))) with
        {
            ConversationId = null,
            PreviousResponseId = second.Response!.Id,
        };
        await Store.Responses.SaveAsync(continuation, Now.AddDays(30));

        Assert.True(await Store.Conversations.DeleteAsync(conversation.Id));

        Assert.Null(await Store.Responses.GetAsync(first.Response!.Id, Now));
        Assert.Null(await Store.Responses.GetAsync(second.Response.Id, Now));
        Assert.False(await Store.Responses.DeleteAsync(second.Response.Id));
        Expect.SameResponse(neighbours.Response!, await Store.Responses.GetAsync(neighbours.Response!.Id, Now));
        // The continuation stays, its chain cut where the conversation's response was.
        var chain = await Store.Responses.LoadChainAsync(continuation.Id, Now, 10);
        Assert.Equal([continuation.Id], chain.Select(r => r.Id));
        Assert.Equal(second.Response.Id, chain[0].PreviousResponseId);
    }

    [Fact]
    public async Task A_conversations_response_deleted_alone_leaves_the_conversations_items()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        var turn = Samples.Turn(conversation, 1, new TokenUsage(1, 1)).WithResponse();
        await Expect.Appended(Store.Conversations.AppendTurnAsync(turn));

        Assert.True(await Store.Responses.DeleteAsync(turn.Response!.Id));

        Assert.Null(await Store.Responses.GetAsync(turn.Response.Id, Now));
        Assert.Equal(["question 1", "answer 2"], (await Store.Conversations.LoadAsync(conversation.Id))!.Items.Select(i => i.Text()));
    }

    [Fact]
    public async Task A_later_turn_continues_the_conversation_after_its_response_was_stored()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        var first = Samples.Turn(conversation, 1, new TokenUsage(1, 1)).WithResponse();
        var second = Samples.Turn(conversation, 3, new TokenUsage(2, 2)).WithResponse();
        second = second with { Response = second.Response! with { Status = ResponseStatus.Incomplete, IncompleteReason = "max_output_tokens", CompletedAt = null } };

        await Expect.Appended(Store.Conversations.AppendTurnAsync(first));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(second));

        Expect.SameResponse(first.Response!, await Store.Responses.GetAsync(first.Response!.Id, Now));
        Expect.SameResponse(second.Response!, await Store.Responses.GetAsync(second.Response!.Id, Now));
        Assert.Equal(4, (await Store.Conversations.LoadAsync(conversation.Id))!.Items.Length);
    }
}
