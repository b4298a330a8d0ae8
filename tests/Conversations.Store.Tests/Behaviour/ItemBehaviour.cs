using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Users;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>
/// A conversation's items of every kind: each comes back exactly as it went in, whichever way it was
/// written; items appended without a turn are refused at a taken position; a deleted item is gone for good
/// while its position stays taken.
/// </summary>
public abstract class ItemBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    private static readonly DateTimeOffset At = Samples.Start;

    // Annotations and log probabilities as OpenAI sends them back; the store keeps the JSON text as it came.
    private const string Annotations = """[{"type":"url_citation","start_index":0,"end_index":8,"url":"https://example.com/météo","title":"Météo ☀"}]""";
    private const string Logprobs = """[{"token":"Il","logprob":-0.0123,"bytes":[73,108],"top_logprobs":[{"token":"Il","logprob":-0.0123,"bytes":[73,108]}]}]""";

    [Fact]
    public async Task Items_of_every_kind_with_every_content_part_come_back_exactly_from_create_and_from_a_turn()
    {
        var conversation = Samples.Conversation();
        Item[] seed =
        [
            new MessageItem(Samples.NewId("msg"), 1, ItemStatus.Completed, At.AddTicks(1), null, MessageRole.Developer, [new ContentPart.InputText("Answer in French.")]),
            new MessageItem(Samples.NewId("msg"), 2, ItemStatus.Completed, At.AddTicks(2), null, MessageRole.User,
            [
                new ContentPart.InputText("What is on this picture, and in this file? 🙂\n"),
                new ContentPart.InputImage("https://example.com/cat.png", "high"),
                new ContentPart.InputImage("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "auto"),
                new ContentPart.InputFile("data:application/pdf;base64,JVBERi0xLjQKJcOkw7zDtsOfCg==", "rapport été.pdf"),
            ]),
            // A client's earlier assistant turn, sent back with what OpenAI attached to its text.
            new MessageItem(Samples.NewId("msg"), 3, ItemStatus.Completed, At.AddTicks(3), null, MessageRole.Assistant, [new ContentPart.OutputText("Il pleut.", Annotations, Logprobs)]),
            new FunctionCallItem(Samples.NewId("fc"), 4, ItemStatus.Completed, At.AddTicks(4), null, "call_seed", "get_weather", """{"city":"Paris"}"""),
            new FunctionCallOutputItem(Samples.NewId("fco"), 5, ItemStatus.Completed, At.AddTicks(5), null, "call_seed", """{"temperature":21,"unit":"°C","note":"line one\nline \"two\""}"""),
        ];
        Item[] firstTurn =
        [
            new MessageItem(Samples.NewId("msg"), 6, ItemStatus.Completed, At.AddTicks(6), null, MessageRole.User, [new ContentPart.InputText("And tomorrow?")]),
            new MessageItem(Samples.NewId("msg"), 7, ItemStatus.Completed, At.AddTicks(7), null, MessageRole.Assistant,
                [new ContentPart.OutputText("Demain, ", "[]", "[]"), new ContentPart.Refusal("I cannot tell the future.")]),
            // Cut short mid-arguments: what arrived is kept as it was, even though it is not valid JSON.
            new FunctionCallItem(Samples.NewId("fc"), 8, ItemStatus.Incomplete, At.AddTicks(8),
                new ReplyInfo(new TokenUsage(1200, 37, 1024, 12), "gpt-4o-2024-08-06", "length", "chatcmpl-RoundTrip1"), "call_turn", "get_forecast", """{"city":"Par"""),
        ];
        Item[] secondTurn =
        [
            new FunctionCallOutputItem(Samples.NewId("fco"), 9, ItemStatus.Completed, At.AddTicks(9), null, "call_turn", "sunny"),
            new MessageItem(Samples.NewId("msg"), 10, ItemStatus.Completed, At.AddTicks(10),
                new ReplyInfo(new TokenUsage(1300, 4, 0, 0), "gpt-4o-2024-08-06", "content_filter", "chatcmpl-RoundTrip2"), MessageRole.Assistant, [new ContentPart.Refusal("No.")]),
        ];

        Assert.True(await Store.Conversations.CreateAsync(conversation, seed));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(new TurnRecord(conversation.Id, conversation.OwnerId, [.. firstTurn], new TokenUsage(1200, 37, 1024, 12), Samples.Today)));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(new TurnRecord(conversation.Id, conversation.OwnerId, [.. secondTurn], new TokenUsage(1300, 4), Samples.Today)));

        // Read by a store that did not write them, as another silo would.
        await using var other = await OpenAsync();
        var stored = await other.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        SameItems([.. seed, .. firstTurn, .. secondTurn], stored.Items);
        Assert.Equal(10, stored.LastSequence);
        Assert.Equal(new ConversationUsage(2, new TokenUsage(2500, 41)), stored.Conversation.Usage);
    }

    [Fact]
    public async Task A_message_is_plain_text_only_when_nothing_but_its_text_would_be_lost()
    {
        var conversation = Samples.Conversation();
        // One text part each, but the second carries annotations and the third log probabilities: kept whole.
        Item[] items =
        [
            new MessageItem(Samples.NewId("msg"), 1, ItemStatus.Completed, At, null, MessageRole.Assistant, [ContentPart.OutputText.Of("plain")]),
            new MessageItem(Samples.NewId("msg"), 2, ItemStatus.Completed, At, null, MessageRole.Assistant, [new ContentPart.OutputText("cited", Annotations, "[]")]),
            new MessageItem(Samples.NewId("msg"), 3, ItemStatus.Completed, At, null, MessageRole.Assistant, [new ContentPart.OutputText("scored", "[]", Logprobs)]),
            new MessageItem(Samples.NewId("msg"), 4, ItemStatus.Completed, At, null, MessageRole.User, [new ContentPart.InputText("")]),
            new MessageItem(Samples.NewId("msg"), 5, ItemStatus.Completed, At, null, MessageRole.User, [new ContentPart.InputText("two "), new ContentPart.InputText("parts")]),
            new MessageItem(Samples.NewId("msg"), 6, ItemStatus.Completed, At, null, MessageRole.System, [new ContentPart.InputText("Be brief.")]),
        ];

        await Store.Conversations.CreateAsync(conversation, items);

        SameItems(items, (await Store.Conversations.LoadAsync(conversation.Id))!.Items);
    }

    [Fact]
    public async Task Appended_items_join_the_history_without_counting_as_a_turn()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        Item[] appended =
        [
            new FunctionCallItem(Samples.NewId("fc"), 2, ItemStatus.Completed, At, null, "call_1", "lookup", """{"q":"tea"}"""),
            new FunctionCallOutputItem(Samples.NewId("fco"), 3, ItemStatus.Completed, At, null, "call_1", "green"),
            new MessageItem(Samples.NewId("msg"), 4, ItemStatus.Completed, At, null, MessageRole.User, [new ContentPart.InputText("look"), new ContentPart.InputImage("https://example.com/a.png", "low")]),
        ];

        await Expect.Appended(Store.Conversations.AppendItemsAsync(conversation.Id, appended));
        var turn = Samples.Turn(conversation, 5, new TokenUsage(3, 4));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(turn));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Assert.Equal([1L, 2, 3, 4, 5, 6], stored.Items.Select(i => i.Sequence));
        SameItems(appended, stored.Items[1..4]);
        Assert.Equal(new ConversationUsage(1, new TokenUsage(3, 4)), stored.Conversation.Usage);
        Assert.Equal(new UsageTotals(1, new TokenUsage(3, 4)), await Store.Usage.GetTotalAsync(conversation.OwnerId));
    }

    [Fact]
    public async Task Appending_at_a_taken_position_is_refused_as_stale_and_writes_none_of_the_items()
    {
        var conversation = Samples.Conversation();
        Item[] seed = [Samples.Input(1, "one"), Samples.Input(3, "three")];
        await Store.Conversations.CreateAsync(conversation, seed);

        // The first item fits the hole at 2; the second collides at 3.
        var refused = Expect.Stale(await Store.Conversations.AppendItemsAsync(conversation.Id, [Samples.Input(2, "two"), Samples.Input(3, "stale three")]));
        var refusedAfter = Expect.Stale(await Store.Conversations.AppendItemsAsync(conversation.Id, [Samples.Input(1, "stale one")]));

        Assert.Equal((conversation.Id, 3L), (refused.ConversationId, refused.Sequence));
        Assert.Equal(1, refusedAfter.Sequence);
        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        SameItems(seed, stored!.Items);
    }

    [Fact]
    public async Task Appending_to_an_unknown_or_deleted_conversation_is_refused_as_stale()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        await Store.Conversations.DeleteAsync(conversation.Id);

        Expect.Stale(await Store.Conversations.AppendItemsAsync(conversation.Id, [Samples.Input(1, "orphan")]));
        Expect.Stale(await Store.Conversations.AppendItemsAsync(Samples.NewId("conv"), [Samples.Input(1, "nobody's")]));

        Assert.Null(await Store.Conversations.LoadAsync(conversation.Id));
    }

    [Fact]
    public async Task A_deleted_item_is_no_longer_loaded_and_its_content_is_gone_from_the_database()
    {
        var conversation = Samples.Conversation();
        var secret = $"secret-{Guid.NewGuid():N}";
        Item plain = Samples.Input(1, $"plain {secret}");
        Item rich = new MessageItem(Samples.NewId("msg"), 2, ItemStatus.Completed, At, null, MessageRole.User, [new ContentPart.InputText($"rich {secret}"), new ContentPart.InputFile($"data:text/plain;base64,{secret}", "s.txt")]);
        Item call = new FunctionCallItem(Samples.NewId("fc"), 3, ItemStatus.Completed, At, null, "call_1", "store", $$"""{"value":"{{secret}}"}""");
        Item kept = Samples.Input(4, "kept");
        await Store.Conversations.CreateAsync(conversation, [plain, rich, call, kept]);

        Assert.True(await Store.Conversations.DeleteItemAsync(conversation.Id, plain.Id));
        Assert.True(await Store.Conversations.DeleteItemAsync(conversation.Id, rich.Id));
        Assert.True(await Store.Conversations.DeleteItemAsync(conversation.Id, call.Id));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        SameItems([kept], stored!.Items);
        Assert.Equal(0, await Backend.ScalarAsync(Location, $"SELECT count(*) FROM messages WHERE content LIKE '%{secret}%' OR data LIKE '%{secret}%'"));
    }

    [Fact]
    public async Task Deleting_an_item_twice_another_conversations_item_or_an_unknown_one_finds_nothing()
    {
        var conversation = Samples.Conversation();
        var other = Samples.Conversation();
        Item item = Samples.Input(1, "mine");
        Item theirs = Samples.Input(1, "theirs");
        await Store.Conversations.CreateAsync(conversation, [item]);
        await Store.Conversations.CreateAsync(other, [theirs]);

        Assert.True(await Store.Conversations.DeleteItemAsync(conversation.Id, item.Id));
        Assert.False(await Store.Conversations.DeleteItemAsync(conversation.Id, item.Id));
        Assert.False(await Store.Conversations.DeleteItemAsync(conversation.Id, theirs.Id));
        Assert.False(await Store.Conversations.DeleteItemAsync(conversation.Id, Samples.NewId("msg")));

        SameItems([theirs], (await Store.Conversations.LoadAsync(other.Id))!.Items);
    }

    [Fact]
    public async Task A_deleted_items_position_stays_taken_so_a_writer_that_missed_the_delete_is_refused()
    {
        var conversation = Samples.Conversation();
        var first = Samples.Input(1, "first");
        var last = Samples.Reply(2, "last", new TokenUsage(1, 1));
        await Store.Conversations.CreateAsync(conversation, [first, last]);

        Assert.True(await Store.Conversations.DeleteItemAsync(conversation.Id, last.Id));

        // A reload knows the last position ever taken, though its item is gone.
        var reloaded = await Store.Conversations.LoadAsync(conversation.Id);
        SameItems([first], reloaded!.Items);
        Assert.Equal(2, reloaded.LastSequence);

        // A writer that placed its items after the visible history only is stale.
        Assert.Equal(2, Expect.Stale(await Store.Conversations.AppendItemsAsync(conversation.Id, [Samples.Input(2, "reused")])).Sequence);
        Assert.Equal(2, Expect.Stale(await Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 2, new TokenUsage(5, 5)))).Sequence);

        // One that places them after the last position goes through.
        await Expect.Appended(Store.Conversations.AppendItemsAsync(conversation.Id, [Samples.Input(3, "next")]));
        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.Equal(["first", "next"], stored!.Items.Select(i => i.Text()));
        Assert.Equal(3, stored.LastSequence);
        Assert.Equal(ConversationUsage.None, stored.Conversation.Usage);
    }

    [Fact]
    public async Task When_every_item_is_deleted_the_last_position_is_still_known()
    {
        var conversation = Samples.Conversation();
        var only = Samples.Input(1, "only");
        await Store.Conversations.CreateAsync(conversation, [only]);

        await Store.Conversations.DeleteItemAsync(conversation.Id, only.Id);

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.Empty(stored!.Items);
        Assert.Equal(1, stored.LastSequence);
        Expect.Stale(await Store.Conversations.AppendItemsAsync(conversation.Id, [Samples.Input(1, "again")]));
    }

    /// <summary>Item by item, so a failure names the item that differs.</summary>
    private static void SameItems(IReadOnlyList<Item> expected, IReadOnlyList<Item> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Expect.SameItem(expected[i], actual[i]);
        }
    }
}
