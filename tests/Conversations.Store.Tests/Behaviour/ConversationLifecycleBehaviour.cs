using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>Create, load, update and delete, and that every field comes back as it went in.</summary>
public abstract class ConversationLifecycleBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    [Fact]
    public async Task A_created_conversation_loads_with_its_seed_items_in_sequence_order()
    {
        var conversation = Samples.Conversation();
        Item[] items =
        [
            Samples.Input(1, "Be terse.", MessageRole.System),
            Samples.Input(2, "Answer in French.", MessageRole.Developer),
            Samples.Input(3, "Hello"),
        ];

        Assert.True(await Store.Conversations.CreateAsync(conversation, items));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Expect.SameConversation(conversation, stored.Conversation);
        Assert.Equal(items, stored.Items);
    }

    [Fact]
    public async Task Creating_a_taken_id_returns_false_and_keeps_the_first_conversation()
    {
        var original = Samples.Conversation();
        Item[] originalItems = [Samples.Input(1, "first")];
        Assert.True(await Store.Conversations.CreateAsync(original, originalItems));

        var impostor = Samples.Conversation(ownerId: "someone-else") with { Id = original.Id };
        Assert.False(await Store.Conversations.CreateAsync(impostor, [Samples.Input(1, "second"), Samples.Input(2, "third")]));

        var stored = await Store.Conversations.LoadAsync(original.Id);
        Assert.NotNull(stored);
        Expect.SameConversation(original, stored.Conversation);
        Assert.Equal(originalItems, stored.Items);
    }

    [Fact]
    public async Task Loading_an_unknown_conversation_returns_null()
    {
        Assert.Null(await Store.Conversations.LoadAsync(Samples.NewId("conv")));
    }

    [Fact]
    public async Task Update_replaces_metadata_and_settings_and_nothing_else()
    {
        var conversation = Samples.Conversation(
            metadata: ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("topic", "tea"), KeyValuePair.Create("old", "gone")]),
            settings: new ConversationSettings("gpt-a", "Be kind.", 0.5, 0.9, 100));
        Item[] items = [Samples.Input(1, "hi")];
        await Store.Conversations.CreateAsync(conversation, items);
        var turn = Samples.Turn(conversation, 2, new TokenUsage(11, 22));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(turn));

        var changed = conversation with
        {
            Metadata = ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("topic", "coffee")]),
            Settings = new ConversationSettings("gpt-b", "Be brief.", 1.25, null, 7),
            // Not the store's to change on update: these must stay as stored.
            OwnerId = "someone-else",
            CreatedAt = Samples.Start.AddDays(9),
            Usage = new ConversationUsage(99, new TokenUsage(99, 99)),
        };
        await Store.Conversations.UpdateAsync(changed);

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Expect.SameConversation(
            conversation with
            {
                Metadata = changed.Metadata,
                Settings = changed.Settings,
                Usage = new ConversationUsage(1, new TokenUsage(11, 22)),
            },
            stored.Conversation);
        Assert.Equal<Item>([.. items, .. turn.Items], stored.Items);
    }

    [Fact]
    public async Task Update_can_clear_optional_settings_back_to_absent()
    {
        var conversation = Samples.Conversation(settings: new ConversationSettings("gpt-a", "x", 0.2, 0.3, 40));
        await Store.Conversations.CreateAsync(conversation, []);

        var cleared = conversation with { Settings = ConversationSettings.ForModel("gpt-a") };
        await Store.Conversations.UpdateAsync(cleared);

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Assert.Equal(ConversationSettings.ForModel("gpt-a"), stored.Conversation.Settings);
    }

    [Fact]
    public async Task The_truncation_setting_is_stored_and_updated()
    {
        var conversation = Samples.Conversation(settings: ConversationSettings.ForModel("gpt-a") with { Truncation = Truncation.Auto });
        await Store.Conversations.CreateAsync(conversation, []);
        var created = await Store.Conversations.LoadAsync(conversation.Id);

        await Store.Conversations.UpdateAsync(conversation with { Settings = conversation.Settings with { Truncation = Truncation.Disabled } });
        var updated = await Store.Conversations.LoadAsync(conversation.Id);

        Assert.Equal(Truncation.Auto, created?.Conversation.Settings.Truncation);
        Assert.Equal(Truncation.Disabled, updated?.Conversation.Settings.Truncation);
        Assert.Equal(Truncation.Disabled, Samples.Conversation().Settings.Truncation);
    }

    [Fact]
    public async Task Updating_an_unknown_conversation_creates_nothing()
    {
        var ghost = Samples.Conversation();
        await Store.Conversations.UpdateAsync(ghost);

        Assert.Null(await Store.Conversations.LoadAsync(ghost.Id));
    }

    [Fact]
    public async Task Delete_removes_the_conversation_and_its_whole_history_for_good()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "hi")]);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.Turn(conversation, 2, new TokenUsage(1, 2))));

        Assert.True(await Store.Conversations.DeleteAsync(conversation.Id));

        Assert.Null(await Store.Conversations.LoadAsync(conversation.Id));
        Assert.False(await Store.Conversations.DeleteAsync(conversation.Id));

        // A later store on the same database agrees, and the id starts afresh with no old messages.
        await using var reopened = await OpenAsync();
        Assert.Null(await reopened.Conversations.LoadAsync(conversation.Id));
        Item[] fresh = [Samples.Input(1, "again")];
        Assert.True(await reopened.Conversations.CreateAsync(conversation, fresh));
        var stored = await reopened.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Assert.Equal(fresh, stored.Items);
        Assert.Equal(ConversationUsage.None, stored.Conversation.Usage);
    }

    [Fact]
    public async Task Deleting_an_unknown_conversation_returns_false()
    {
        Assert.False(await Store.Conversations.DeleteAsync(Samples.NewId("conv")));
    }

    [Fact]
    public async Task Every_field_round_trips_exactly()
    {
        var plusTwo = TimeSpan.FromHours(2);
        var conversation = Samples.Conversation(
            createdAt: new DateTimeOffset(2024, 2, 29, 23, 59, 59, plusTwo).AddTicks(9_999_999),
            metadata: ImmutableSortedDictionary.CreateRange(
            [
                KeyValuePair.Create("emoji 🎉", "value with \"quotes\", \\backslash\\ and\nnewline"),
                KeyValuePair.Create("日本語", "שלום — مرحبا"),
                KeyValuePair.Create("empty", ""),
            ]),
            settings: new ConversationSettings("llama3.1:8b-instruct", "Line one\nLine two\t✓", 0.1, 0.95, int.MaxValue));
        Item reply = new MessageItem(
            Samples.NewId("msg"),
            2,
            ItemStatus.Incomplete,
            new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1),
            new ReplyInfo(new TokenUsage(long.MaxValue / 4, 3, 7, 11), "gpt-4o-2024-08-06", "length", "chatcmpl-abc123"),
            MessageRole.Assistant,
            [ContentPart.OutputText.Of("Here 👩‍👩‍👧‍👦 is\r\nsome \u00e9t\u00e9 text with a tab\tand 🏳️‍🌈.")]);
        Item[] items = [Samples.Input(1, "¿Qué tal? 🙂\n")];

        await Store.Conversations.CreateAsync(conversation, items);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(new(conversation.Id, conversation.OwnerId, [reply], reply.Reply!.Usage, Samples.Today)));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);
        Assert.NotNull(stored);
        Expect.SameConversation(conversation with { Usage = new ConversationUsage(1, new TokenUsage(long.MaxValue / 4, 3)) }, stored.Conversation);
        Assert.Equal<Item>([.. items, reply], stored.Items);
        // Same instant to the tick, handed back in UTC.
        Assert.Equal(conversation.CreatedAt.UtcTicks, stored.Conversation.CreatedAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, stored.Conversation.CreatedAt.Offset);
        Assert.Equal(reply.CreatedAt.UtcTicks, stored.Items[1].CreatedAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, stored.Items[1].CreatedAt.Offset);
    }

    [Fact]
    public async Task Absent_optional_settings_stay_absent_and_zero_stays_zero()
    {
        var absent = Samples.Conversation(settings: new ConversationSettings("m", "", null, null, null));
        var zero = Samples.Conversation(settings: new ConversationSettings("m", "", 0.0, 0.0, 0));
        await Store.Conversations.CreateAsync(absent, []);
        await Store.Conversations.CreateAsync(zero, []);

        var storedAbsent = await Store.Conversations.LoadAsync(absent.Id);
        var storedZero = await Store.Conversations.LoadAsync(zero.Id);

        Assert.Equal(absent.Settings, storedAbsent?.Conversation.Settings);
        Assert.Equal(zero.Settings, storedZero?.Conversation.Settings);
        Assert.Empty(storedAbsent!.Conversation.Metadata);
        Assert.Empty(storedAbsent.Items);
    }

    [Fact]
    public async Task A_megabyte_of_content_round_trips()
    {
        var conversation = Samples.Conversation();
        var big = string.Concat(Enumerable.Repeat("0123456789abcdé🙂\n", 1024 * 1024 / 18));
        Item[] items = [Samples.Input(1, big)];
        await Store.Conversations.CreateAsync(conversation, items);
        var reply = Samples.Reply(2, big + "!", new TokenUsage(1, 1));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(new(conversation.Id, conversation.OwnerId, [reply], reply.Reply!.Usage, Samples.Today)));

        var stored = await Store.Conversations.LoadAsync(conversation.Id);

        Assert.NotNull(stored);
        Assert.Equal<Item>([.. items, reply], stored.Items);
    }

    [Fact]
    public async Task What_one_store_wrote_is_there_when_the_database_is_opened_again()
    {
        var conversation = Samples.Conversation();
        Item[] items = [Samples.Input(1, "remember me")];
        var turn = Samples.Turn(conversation, 2, new TokenUsage(3, 4));
        await Store.Conversations.CreateAsync(conversation, items);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(turn));
        await Store.DisposeAsync();

        await using var reopened = await OpenAsync();
        var stored = await reopened.Conversations.LoadAsync(conversation.Id);

        Assert.NotNull(stored);
        Expect.SameConversation(conversation with { Usage = new ConversationUsage(1, new TokenUsage(3, 4)) }, stored.Conversation);
        Assert.Equal<Item>([.. items, .. turn.Items], stored.Items);
    }
}
