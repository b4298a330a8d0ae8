using Conversations.Core.Messages;
using Conversations.Core.Conversations;
using Conversations.Abstractions.Grains;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Conversations;

/// <summary>
/// A conversation runs one turn at a time: a second turn, or a delete, is refused at once with
/// <see cref="ConversationError.Busy"/> rather than queued behind the first, and the history never interleaves.
/// Each test holds the first turn's upstream answer until it has checked the refusals, so "at once" is proven:
/// the refusals arrive while the first turn provably has not finished.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class OneTurnAtATimeTests(GrainCluster cluster)
{
    // Only a guard against hanging: a refusal that waited for the held turn would never come.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task While_a_stream_runs_other_turns_and_delete_are_refused_at_once()
    {
        var (grain, owner, marker) = await NewConversation();
        var held = HeldReply.Stream("One two three four", piecesBeforeHold: 1);
        cluster.Fake.Enqueue(held.Response);

        await using var first = grain.ChatStream(owner, Requests.Stream($"First {marker}")).GetAsyncEnumerator();
        var seen = new List<TurnEvent>();
        while (seen.Count < 2 && await first.MoveNextAsync())
        {
            seen.Add(first.Current);
        }

        Assert.Equal("One", TurnEvents.Text(seen));
        // The client keeps asking for the next event, as a host relaying the stream does.
        var pendingNext = first.MoveNextAsync().AsTask();

        Expect.Busy(await grain.Send(owner, Requests.Send($"Second {marker}")).WaitAsync(Guard));
        Assert.Equal(ConversationError.BusyError, Expect.RefusedStream(await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream($"Third {marker}"))).WaitAsync(Guard)));
        Expect.Busy(await grain.Delete(owner).WaitAsync(Guard));
        // Reading is not a turn: it answers during one, without the unfinished turn.
        Assert.Equal(["seed"], Expect.Ok(await grain.ListItems(owner, Requests.Page()).WaitAsync(Guard)).Items.Select(m => m.Content));
        Assert.False(held.IsReleased);
        Assert.False(pendingNext.IsCompleted);

        held.Release();
        Assert.True(await pendingNext);
        seen.Add(first.Current);
        while (await first.MoveNextAsync())
        {
            seen.Add(first.Current);
        }

        var completed = Assert.IsType<TurnEvent.Completed>(seen[^1]);
        Assert.Equal("One two three four", completed.Reply.Content);
        await AssertOnlyTheFirstTurnHappened(grain, owner, marker, "One two three four");
    }

    [Fact]
    public async Task While_a_single_shot_turn_runs_other_turns_and_delete_are_refused_at_once()
    {
        var (grain, owner, marker) = await NewConversation();
        var held = HeldReply.SingleShot("The first answer");
        cluster.Fake.Enqueue(held.Response);

        var first = grain.Send(owner, Requests.Send($"First {marker}"));
        await held.Arrived.WaitAsync(Guard);

        Expect.Busy(await grain.Send(owner, Requests.Send($"Second {marker}")).WaitAsync(Guard));
        Assert.Equal(ConversationError.BusyError, Expect.RefusedStream(await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream($"Third {marker}"))).WaitAsync(Guard)));
        Expect.Busy(await grain.Delete(owner).WaitAsync(Guard));
        Assert.Equal(["seed"], Expect.Ok(await grain.ListItems(owner, Requests.Page()).WaitAsync(Guard)).Items.Select(m => m.Content));
        Assert.False(first.IsCompleted);

        held.Release();
        Assert.Equal("The first answer", Expect.Ok(await first).Reply.Content);
        await AssertOnlyTheFirstTurnHappened(grain, owner, marker, "The first answer");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_finished_stream_does_not_free_the_conversation_under_the_turn_that_followed_it(bool failsAtTheEnd)
    {
        var (grain, owner, marker) = await NewConversation();

        // The first turn streams to its end: its last chunks (or an error) arrive while the client waits for its
        // next event, and it gets the final event but has not yet asked for more.
        var end = failsAtTheEnd
            ? HeldReply.StreamThenError("One two three", piecesBeforeHold: 2, "The server had an error.")
            : HeldReply.Stream("One two", piecesBeforeHold: 2);
        cluster.Fake.Enqueue(end.Response);
        var first = grain.ChatStream(owner, Requests.Stream($"First {marker}")).GetAsyncEnumerator();
        var seen = new List<TurnEvent>();
        while (TurnEvents.Text(seen) != "One two" && await first.MoveNextAsync())
        {
            seen.Add(first.Current);
        }

        var waitingForTheEnd = first.MoveNextAsync().AsTask();
        end.Release();
        Assert.True(await waitingForTheEnd.WaitAsync(Guard));
        if (failsAtTheEnd)
        {
            Assert.IsType<ConversationError.Upstream>(Assert.IsType<TurnEvent.Failed>(first.Current).Error);
        }
        else
        {
            Assert.IsType<TurnEvent.Completed>(first.Current);
        }

        // The client's next turn starts at once, and is held upstream.
        var held = HeldReply.SingleShot("The second answer");
        cluster.Fake.Enqueue(held.Response);
        var second = grain.Send(owner, Requests.Send($"Second {marker}"));
        await held.Arrived.WaitAsync(Guard);

        // Only now does the first stream's enumeration end; the second turn is still running.
        Assert.False(await first.MoveNextAsync());
        await first.DisposeAsync();

        Expect.Busy(await grain.Send(owner, Requests.Send($"Third {marker}")).WaitAsync(Guard));
        Assert.Equal(ConversationError.BusyError, Expect.RefusedStream(await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream($"Fourth {marker}"))).WaitAsync(Guard)));

        held.Release();
        Assert.Equal("The second answer", Expect.Ok(await second).Reply.Content);
        var history = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal(["seed", $"First {marker}", "One two", $"Second {marker}", "The second answer"], history.Select(m => m.Content));
        Assert.Equal(2, cluster.Fake.Mentioning(marker).Count);
    }

    private async Task<(IConversationGrain Grain, string Owner, string Marker)> NewConversation()
    {
        var owner = Requests.NewOwnerId();
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(items: [Requests.Item(MessageRole.User, "seed")])));
        return (grain, owner, Guid.NewGuid().ToString("N"));
    }

    /// <summary>Only the first turn reached the upstream and the history: seed, its message, its reply.</summary>
    private async Task AssertOnlyTheFirstTurnHappened(IConversationGrain grain, string owner, string marker, string reply)
    {
        var sent = Assert.Single(cluster.Fake.Mentioning(marker));
        Assert.Equal([("user", "seed"), ("user", $"First {marker}")], sent.Messages());
        var history = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal(["seed", $"First {marker}", reply], history.Select(m => m.Content));
        Assert.Equal([1L, 2, 3], history.Select(m => m.Sequence));
        Expect.SameItems(history, (await cluster.ConversationStore.LoadAsync(grain.GetPrimaryKeyString()))!.Items);
    }
}
