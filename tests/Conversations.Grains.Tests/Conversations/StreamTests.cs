using Conversations.Core.Messages;
using Conversations.Abstractions.Grains;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Upstream;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Polling;
using Conversations.Upstream;

namespace Conversations.Grains.Tests.Conversations;

[Collection(ConversationCollection.Name)]
public sealed class StreamTests(GrainCluster cluster)
{
    private static readonly TokenCounter Tokens = new();

    [Fact]
    public async Task A_streamed_turn_reports_its_start_each_piece_and_the_stored_reply()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(instructions: $"Be brief {marker}")));

        var events = await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream("Say the quick brown fox jumps over the lazy dog")));

        var started = Assert.IsType<TurnEvent.Started>(events[0]);
        var completed = Assert.IsType<TurnEvent.Completed>(events[^1]);
        var deltas = events[1..^1];
        Assert.All(deltas, e => Assert.IsType<TurnEvent.Delta>(e));
        Assert.Equal(FakeReplies.Pieces("The quick brown fox jumps over the lazy dog"), deltas.Cast<TurnEvent.Delta>().Select(d => d.Content));
        var reply = completed.Reply;
        Assert.Equal("The quick brown fox jumps over the lazy dog", TurnEvents.Text(events));
        Assert.Equal("The quick brown fox jumps over the lazy dog", reply.Content);
        Assert.Equal((MessageRole.Assistant, ItemStatus.Completed, "stop", 2L), (reply.Role, reply.Status, reply.FinishReason, reply.Sequence));
        Assert.Equal(started.CompletionId, reply.CompletionId);
        Assert.StartsWith("chatcmpl-", started.CompletionId, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", started.Model);

        var sent = Assert.Single(cluster.Fake.Mentioning(marker));
        Assert.True(sent.AskedForStreamWithUsage());
        Assert.Equal([("system", $"Be brief {marker}"), ("user", "Say the quick brown fox jumps over the lazy dog")], sent.Messages());
        // The usage is the upstream's own report from the stream's last chunk.
        var reported = FakeReplies.UsageOf(FakeReplies.PromptTokensOf(sent.Messages().Select(m => m.Content)), reply.Content);
        Assert.Equal(reported, reply.Usage);

        var history = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal([(MessageRole.User, "Say the quick brown fox jumps over the lazy dog"), (MessageRole.Assistant, reply.Content)], history.Select(m => (m.Role, m.Content)));
        Assert.Equal(reply, history[1]);
        Assert.Equal(new ConversationUsage(1, reported), Expect.Ok(await grain.Get(owner)).Usage);
        Expect.SameItems(history, (await cluster.ConversationStore.LoadAsync(grain.GetPrimaryKeyString()))!.Items);
    }

    [Fact]
    public async Task When_the_client_goes_away_mid_stream_the_upstream_is_cancelled_and_the_partial_reply_kept()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(instructions: $"Count {marker}")));
        var held = HeldReply.Stream("One two three four five", piecesBeforeHold: 2);
        cluster.Fake.Enqueue(held.Response);

        var enumerator = grain.ChatStream(owner, Requests.Stream("Count to five")).GetAsyncEnumerator();
        var seen = new List<TurnEvent>();
        while (seen.Count < 3 && await enumerator.MoveNextAsync())
        {
            seen.Add(enumerator.Current);
        }

        Assert.IsType<TurnEvent.Started>(seen[0]);
        Assert.Equal("One two", TurnEvents.Text(seen));
        await enumerator.DisposeAsync();

        var request = await held.Arrived;
        Assert.True(await request.WaitForAbortAsync(TimeSpan.FromSeconds(1)), "The upstream request was not cancelled within 1 s of the client leaving.");
        Assert.False(held.IsReleased);

        var history = await Eventually.Holds(
            async () => Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items,
            items => items.Length == 2,
            what: "The cut-short turn being stored");
        Assert.Equal((MessageRole.User, "Count to five"), (history[0].Role, history[0].Content));
        var partial = history[1];
        Assert.Equal((MessageRole.Assistant, "One two", ItemStatus.Incomplete, ""), (partial.Role, partial.Content, partial.Status, partial.FinishReason));
        AssertEstimatedUsage(partial, request);
        Assert.Equal(new ConversationUsage(1, partial.Usage), Expect.Ok(await grain.Get(owner)).Usage);

        await AssertNextTurnWorks(grain, owner, marker, [("system", $"Count {marker}"), ("user", "Count to five"), ("assistant", "One two")]);
    }

    [Fact]
    public async Task When_the_client_goes_away_before_the_reply_starts_the_upstream_is_cancelled_and_nothing_kept()
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        var created = Expect.Ok(await grain.Create(owner, Requests.Create(instructions: $"Think {marker}")));
        var held = HeldReply.BeforeHeaders("Still thinking");
        cluster.Fake.Enqueue(held.Response);
        using var leaving = new CancellationTokenSource();

        var enumerator = TurnEvents.Chat(grain.Stream(owner, Requests.Stream("Think hard"), cancellationToken: leaving.Token)).GetAsyncEnumerator();
        var firstEvent = enumerator.MoveNextAsync().AsTask();
        var request = await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => firstEvent);
        await enumerator.DisposeAsync();
        Assert.True(await request.WaitForAbortAsync(TimeSpan.FromSeconds(1)), "The upstream request was not cancelled within 1 s of the client leaving.");
        Assert.False(held.IsReleased);
        Assert.Empty(Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items);
        Assert.Equal(created.Usage, Expect.Ok(await grain.Get(owner)).Usage);

        // The next turn works, and the abandoned message is not part of its history. The client heard of its own
        // cancellation at once; the grain hears of it a moment later, and is busy until then.
        var events = await Eventually.Holds(
            () => TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream("Say go on"))),
            e => e is not [TurnEvent.Failed { Error: ConversationError.Busy }],
            what: "The abandoned turn freeing the conversation");
        var reply = Assert.IsType<TurnEvent.Completed>(events[^1]).Reply;
        Assert.Equal(("Go on", 2L), (reply.Content, reply.Sequence));
        Assert.Equal([("system", $"Think {marker}"), ("user", "Say go on")], cluster.Fake.Mentioning(marker)[^1].Messages());
        Assert.Equal(["Say go on", "Go on"], (await cluster.ConversationStore.LoadAsync(grain.GetPrimaryKeyString()))!.Items.Select(m => m.Content));
    }

    [Fact]
    public async Task An_error_in_the_middle_of_a_stream_fails_it_and_keeps_what_arrived()
    {
        var failed = await StreamCutShort(FakeResponse.ErrorMidStream("The server had an error while processing your request.", piecesBefore: 2));

        var streamFailed = Assert.IsType<UpstreamError.StreamFailed>(failed);
        Assert.Equal(("The server had an error while processing your request.", "server_error"), (streamFailed.Message, streamFailed.Code));
    }

    [Fact]
    public async Task A_connection_cut_in_the_middle_of_a_stream_fails_it_and_keeps_what_arrived()
    {
        var failed = await StreamCutShort(FakeResponse.CutMidStream(piecesBefore: 2));

        Assert.IsType<UpstreamError.StreamFailed>(failed);
    }

    /// <summary>Streams a turn the upstream cuts short after "One two"; checks the events, what is kept and the next turn; returns the reported error.</summary>
    private async Task<UpstreamError> StreamCutShort(FakeResponse script)
    {
        var owner = Requests.NewOwnerId();
        var marker = Guid.NewGuid().ToString("N");
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create(instructions: $"Count {marker}")));
        cluster.Fake.Enqueue(script);

        var events = await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream("Count to seven")));

        Assert.IsType<TurnEvent.Started>(events[0]);
        Assert.Equal("One two", TurnEvents.Text(events));
        var failed = Assert.IsType<TurnEvent.Failed>(events[^1]);
        var upstream = Assert.IsType<ConversationError.Upstream>(failed.Error);

        var history = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal(
            [(MessageRole.User, "Count to seven", ItemStatus.Completed), (MessageRole.Assistant, "One two", ItemStatus.Incomplete)],
            history.Select(m => (m.Role, m.Content, m.Status)));
        AssertEstimatedUsage(history[1], Assert.Single(cluster.Fake.Mentioning(marker)));
        Expect.SameItems(history, (await cluster.ConversationStore.LoadAsync(grain.GetPrimaryKeyString()))!.Items);

        await AssertNextTurnWorks(grain, owner, marker, [("system", $"Count {marker}"), ("user", "Count to seven"), ("assistant", "One two")]);
        return upstream.Error;
    }

    /// <summary>
    /// No usage chunk arrived, so the reply's usage is estimated: the prompt counted the way the upstream bills
    /// one (every message's framing included), and the text that did arrive.
    /// </summary>
    private static void AssertEstimatedUsage(Item partial, FakeRequest sent)
    {
        var prompt = sent.Messages().Select(m => new UpstreamMessage(m.Role, m.Content));
        Assert.Equal(new TokenUsage(PromptTokens.Count(prompt, Tokens.Count), Tokens.Count(partial.Content)), partial.Usage);
    }

    /// <summary>The next streamed turn completes normally, and the upstream saw <paramref name="before"/> ahead of it.</summary>
    private async Task AssertNextTurnWorks(IConversationGrain grain, string owner, string marker, (string, string)[] before)
    {
        var events = await TurnEvents.CollectAsync(grain.ChatStream(owner, Requests.Stream("Say go on")));

        var completed = Assert.IsType<TurnEvent.Completed>(events[^1]);
        Assert.Equal(("Go on", ItemStatus.Completed, 4L), (completed.Reply.Content, completed.Reply.Status, completed.Reply.Sequence));
        Assert.Equal([.. before, ("user", "Say go on")], cluster.Fake.Mentioning(marker)[^1].Messages());
        Assert.Equal(4, Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Length);
    }
}
