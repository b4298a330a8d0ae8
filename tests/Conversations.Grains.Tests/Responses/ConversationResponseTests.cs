using Conversations.Abstractions.Grains;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Grains.Tests.Harness;
using Conversations.Testing.FakeUpstream;

namespace Conversations.Grains.Tests.Responses;

/// <summary>
/// Responses API turns on a conversation (<c>POST /v1/responses</c> with <c>conversation</c>): the response is
/// kept with the turn's items, streamed item by item, continues through function calls, and a repeat of a
/// keyed turn is answered with the stored response instead of running again.
/// </summary>
[Collection(ConversationCollection.Name)]
public sealed class ConversationResponseTests(GrainCluster cluster)
{
    [Fact]
    public async Task A_stored_turn_is_retrievable_as_a_response_by_its_owner_with_the_items_it_added()
    {
        var (grain, owner, marker) = await NewConversation();
        var request = Requests.Respond(
        [
            new MessageItem("", 0, ItemStatus.Completed, default, null, MessageRole.User,
                [new ContentPart.InputText($"Describe {marker}"), new ContentPart.InputImage("https://example.com/cat.png", "low")]),
        ]);

        var response = Expect.Ok(await grain.Send(owner, request));

        Assert.Equal(
            (request.ResponseId, grain.GetPrimaryKeyString(), ResponseStatus.Completed, true),
            (response.Id, response.ConversationId, response.Status, response.Stored));
        Assert.Equal($"You said: Describe {marker}", response.Reply.Content);
        Assert.Equal([$"user: Describe {marker}[image https://example.com/cat.png]"], cluster.Fake.Mentioning(marker).Single().Transcript());

        var stored = cluster.Grain<IResponseGrain>(response.Id);
        Assert.Equal(response, Expect.Ok(await stored.Get(owner)));
        Expect.SameItems(response.Input, Expect.Ok(await stored.InputItems(owner, Requests.Page())).Items);
        Expect.SameItems([.. response.Input, .. response.Output], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items);
        Assert.Equal([1L, 2], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Select(i => i.Sequence));

        // Read afresh from the store, as another silo would.
        await cluster.DeactivateAsync(stored);
        Assert.Equal(response, Expect.Ok(await stored.Get(owner)));
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await stored.Get(Requests.NewOwnerId())));
    }

    [Fact]
    public async Task A_turn_with_store_false_keeps_its_items_in_the_conversation_but_no_response()
    {
        var (grain, owner, marker) = await NewConversation();

        var response = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say not kept {marker}", store: false)));

        Assert.False(response.Stored);
        Assert.Equal($"Not kept {marker}", response.Reply.Content);
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await cluster.Grain<IResponseGrain>(response.Id).Get(owner)));
        Assert.Equal([$"Say not kept {marker}", $"Not kept {marker}"], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Select(i => i.Content));
    }

    [Fact]
    public async Task A_streamed_message_is_announced_then_streamed_then_done_and_its_response_stored()
    {
        var (grain, owner, marker) = await NewConversation();

        var events = await TurnEvents.CollectAsync(grain.Stream(owner, Requests.Respond($"Say one two three {marker}")));

        Assert.Equal(
            [nameof(TurnEvent.Started), nameof(TurnEvent.ItemAdded), nameof(TurnEvent.Delta), nameof(TurnEvent.ItemDone), nameof(TurnEvent.Completed)],
            Kinds(events));
        var added = Assert.IsType<MessageItem>(events.OfType<TurnEvent.ItemAdded>().Single().Item);
        Assert.Equal((MessageRole.Assistant, ItemStatus.InProgress, 0), (added.Role, added.Status, added.Content.Length));
        var done = Assert.IsType<MessageItem>(events.OfType<TurnEvent.ItemDone>().Single().Item);
        Assert.Equal((added.Id, ItemStatus.Completed, $"One two three {marker}"), (done.Id, done.Status, done.Text));
        Assert.Equal(done.Text, TurnEvents.Text(events));

        var completed = Assert.IsType<TurnEvent.Completed>(events[^1]);
        Assert.Equal((done.Id, done.Text), (completed.Reply.Id, completed.Reply.Content));
        var stored = Expect.Ok(await cluster.Grain<IResponseGrain>(completed.Response.Id).Get(owner));
        Assert.Equal(completed.Response, stored);
    }

    [Fact]
    public async Task Streamed_function_calls_are_announced_then_their_arguments_streamed_then_done()
    {
        var (grain, owner, marker) = await NewConversation();
        FakeToolCall paris = new("call_paris", "get_weather", """{"city":"Paris, France"}""");
        FakeToolCall lyon = new("call_lyon", "get_weather", """{"city":"Lyon"}""");
        cluster.Fake.Enqueue(FakeResponse.ToolCalls(paris, lyon));

        var events = await TurnEvents.CollectAsync(grain.Stream(owner, Requests.Respond($"Weather in Paris and Lyon? {marker}", Requests.WithWeatherTool)));

        Assert.Equal(
            [
                nameof(TurnEvent.Started),
                nameof(TurnEvent.ItemAdded), nameof(TurnEvent.ArgumentsDelta), nameof(TurnEvent.ItemDone),
                nameof(TurnEvent.ItemAdded), nameof(TurnEvent.ArgumentsDelta), nameof(TurnEvent.ItemDone),
                nameof(TurnEvent.Completed),
            ],
            Kinds(events));
        var added = events.OfType<TurnEvent.ItemAdded>().Select(e => Assert.IsType<FunctionCallItem>(e.Item)).ToList();
        Assert.Equal([("call_paris", "get_weather", ""), ("call_lyon", "get_weather", "")], added.Select(c => (c.CallId, c.Name, c.Arguments)));
        var done = events.OfType<TurnEvent.ItemDone>().Select(e => Assert.IsType<FunctionCallItem>(e.Item)).ToList();
        Assert.Equal(
            [(added[0].Id, "call_paris", paris.Arguments, ItemStatus.Completed), (added[1].Id, "call_lyon", lyon.Arguments, ItemStatus.Completed)],
            done.Select(c => (c.Id, c.CallId, c.Arguments, c.Status)));
        // Each call's argument deltas, in order, make up its arguments.
        Assert.Equal([paris.Arguments, lyon.Arguments], ArgumentsPerItem(events));

        var completed = Assert.IsType<TurnEvent.Completed>(events[^1]);
        Assert.Equal(done.Select(c => c.Id), completed.Response.Output.Select(i => i.Id));
        Assert.Equal("tool_calls", completed.Reply.FinishReason);
        Assert.Equal(completed.Response, Expect.Ok(await cluster.Grain<IResponseGrain>(completed.Response.Id).Get(owner)));
    }

    [Fact]
    public async Task A_function_call_round_trip_continues_the_conversation_with_the_calls_output()
    {
        var (grain, owner, marker) = await NewConversation();

        var asked = Expect.Ok(await grain.Send(owner, Requests.Respond($"Paris {marker}", Requests.WithWeatherTool)));
        var call = Assert.IsType<FunctionCallItem>(Assert.Single(asked.Output));
        Assert.Equal(("get_weather", $$"""{"city":"Paris {{marker}}"}"""), (call.Name, call.Arguments));

        var answered = Expect.Ok(await grain.Send(owner, Requests.Respond([Requests.CallOutput(call.CallId, "21 degrees and sunny")], Requests.WithWeatherTool)));

        Assert.Equal("The tool returned: 21 degrees and sunny", answered.Reply.Content);
        var output = Assert.IsType<FunctionCallOutputItem>(Assert.Single(answered.Input));
        Assert.StartsWith(ItemIds.FunctionCallOutputPrefix, output.Id, StringComparison.Ordinal);
        // The upstream heard the call as the assistant's tool_calls, then its output as a tool message.
        var sent = cluster.Fake.Mentioning(marker);
        Assert.Equal(2, sent.Count);
        Assert.Equal(
            [$"user: Paris {marker}", $"assistant calls get_weather#{call.CallId} {call.Arguments}", $"tool#{call.CallId}: 21 degrees and sunny"],
            sent[1].Transcript());

        var items = Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items;
        Assert.Equal([typeof(MessageItem), typeof(FunctionCallItem), typeof(FunctionCallOutputItem), typeof(MessageItem)], items.Select(i => i.GetType()));
        Assert.Equal([1L, 2, 3, 4], items.Select(i => i.Sequence));
        Expect.SameItems([.. asked.Input, .. asked.Output, .. answered.Input, .. answered.Output], items);
        Assert.Equal(asked, Expect.Ok(await cluster.Grain<IResponseGrain>(asked.Id).Get(owner)));
        Assert.Equal(answered, Expect.Ok(await cluster.Grain<IResponseGrain>(answered.Id).Get(owner)));
    }

    [Fact]
    public async Task A_repeat_of_a_keyed_turn_is_answered_with_the_stored_response_even_after_a_reload()
    {
        var (grain, owner, marker) = await NewConversation();
        var key = new IdempotencyKey($"retry-{marker}", $"hash-{marker}");

        // The API host makes a new response id for every request; a repeat still gets the first one's.
        var first = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say once {marker}"), key));
        var repeat = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say once {marker}"), key));

        Assert.Equal(first, repeat);

        await cluster.DeactivateAsync(grain);
        var afterReload = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say once {marker}"), key));
        var streamed = await TurnEvents.CollectAsync(grain.Stream(owner, Requests.Respond($"Say once {marker}"), key));

        Assert.Equal(first, afterReload);
        Assert.Equal(first, Assert.IsType<TurnEvent.Completed>(streamed[^1]).Response);
        Assert.Single(cluster.Fake.Mentioning(marker));
        Assert.Equal([$"Say once {marker}", $"Once {marker}"], Expect.Ok(await grain.ListItems(owner, Requests.Page())).Items.Select(i => i.Content));
    }

    [Fact]
    public async Task A_repeat_of_a_keyed_streamed_turn_is_answered_with_its_stored_response()
    {
        var (grain, owner, marker) = await NewConversation();
        var key = new IdempotencyKey($"retry-{marker}", $"hash-{marker}");
        var first = await TurnEvents.CollectAsync(grain.Stream(owner, Requests.Respond($"Say streamed once {marker}"), key));
        var stored = Assert.IsType<TurnEvent.Completed>(first[^1]).Response;

        await cluster.DeactivateAsync(grain);
        var repeat = await TurnEvents.CollectAsync(grain.Stream(owner, Requests.Respond($"Say streamed once {marker}"), key));

        Assert.Equal(stored, Assert.IsType<TurnEvent.Completed>(repeat[^1]).Response);
        Assert.Equal($"Streamed once {marker}", TurnEvents.Text(repeat));
        Assert.Single(cluster.Fake.Mentioning(marker));
    }

    [Fact]
    public async Task A_repeat_of_a_keyed_turn_with_store_false_is_answered_with_the_same_response()
    {
        var (grain, owner, marker) = await NewConversation();
        var key = new IdempotencyKey($"retry-{marker}", $"hash-{marker}");
        var first = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say unstored once {marker}", store: false), key));

        await cluster.DeactivateAsync(grain);
        var repeat = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say unstored once {marker}", store: false), key));

        // Not stored, so not retrievable; but the client that retried sees the answer it missed, under the same id.
        Assert.Equal((first.Id, first.Status), (repeat.Id, repeat.Status));
        Expect.SameItems(first.Output, repeat.Output);
        Assert.Single(cluster.Fake.Mentioning(marker));
    }

    [Fact]
    public async Task Deleting_the_conversation_deletes_its_responses_even_one_just_read()
    {
        var (grain, owner, marker) = await NewConversation();
        var response = Expect.Ok(await grain.Send(owner, Requests.Respond($"Say gone soon {marker}")));
        var stored = cluster.Grain<IResponseGrain>(response.Id);
        Assert.Equal(response, Expect.Ok(await stored.Get(owner)));

        Expect.Ok(await grain.Delete(owner));

        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await stored.Get(owner)));
        Assert.IsType<ConversationError.ResponseNotFound>(Expect.Failure(await stored.InputItems(owner, Requests.Page())));
    }

    private async Task<(IConversationGrain Grain, string Owner, string Marker)> NewConversation()
    {
        var owner = Requests.NewOwnerId();
        var grain = cluster.Grain<IConversationGrain>(Requests.NewConversationId());
        Expect.Ok(await grain.Create(owner, Requests.Create()));
        return (grain, owner, Guid.NewGuid().ToString("N"));
    }

    /// <summary>The kinds of events in order, a run of deltas counted once.</summary>
    private static List<string> Kinds(IEnumerable<TurnEvent> events)
    {
        var kinds = new List<string>();
        foreach (var kind in events.Select(e => e.GetType().Name))
        {
            var isDelta = kind is nameof(TurnEvent.Delta) or nameof(TurnEvent.ArgumentsDelta) or nameof(TurnEvent.RefusalDelta);
            if (!(isDelta && kinds.Count > 0 && kinds[^1] == kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds;
    }

    /// <summary>The argument deltas of each function call, joined, in the order the calls came.</summary>
    private static List<string> ArgumentsPerItem(IEnumerable<TurnEvent> events)
    {
        var perItem = new List<string>();
        foreach (var turnEvent in events)
        {
            switch (turnEvent)
            {
                case TurnEvent.ItemAdded:
                    perItem.Add("");
                    break;
                case TurnEvent.ArgumentsDelta delta:
                    perItem[^1] += delta.Text;
                    break;
            }
        }

        return perItem;
    }
}
