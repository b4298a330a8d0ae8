using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Abstractions.Storage;
using Conversations.Store.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>Start-up migration: before use, idempotent, and safe when processes start together.</summary>
public abstract class SchemaBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    private static readonly int[] AllSteps = [1, 2, 3, 4];

    [Fact]
    public async Task Starting_the_host_creates_the_schema_before_any_store_call()
    {
        Assert.Equal(AllSteps, await Backend.ReadSchemaVersionsAsync(Location));
    }

    [Fact]
    public async Task Starting_again_on_a_migrated_database_changes_nothing()
    {
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, [Samples.Input(1, "kept")]);
        await Store.DisposeAsync();

        await using var second = await OpenAsync();
        await using var third = await OpenAsync();

        Assert.Equal(AllSteps, await Backend.ReadSchemaVersionsAsync(Location));
        var stored = await third.Conversations.LoadAsync(conversation.Id);
        Assert.Equal("kept", Assert.Single(stored!.Items).Text());
    }

    [Fact]
    public async Task Processes_starting_together_on_a_new_database_all_come_up()
    {
        var fresh = await Backend.CreateDatabaseAsync();
        var starts = Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenStore.StartAsync(Backend, fresh))).ToList();

        var stores = await Task.WhenAll(starts);
        try
        {
            Assert.Equal(AllSteps, await Backend.ReadSchemaVersionsAsync(fresh));
            for (var i = 0; i < stores.Length; i++)
            {
                await stores[i].Usage.AddAsync("ada", Samples.Today, new Core.Users.UsageTotals(1, Core.Messages.TokenUsage.Zero));
            }

            Assert.Equal(stores.Length, (await stores[0].Usage.GetTotalAsync("ada")).Requests);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_database_from_a_build_that_knew_only_step_1_is_migrated_and_keeps_its_data()
    {
        var old = await Backend.CreateDatabaseAtSchemaStepAsync(1);
        var ticks = Samples.Start.UtcTicks;
        // Rows as the step-1 build wrote them, in plain SQL that both databases read the same way.
        foreach (var sql in new[]
        {
            $$"""
            INSERT INTO conversations (id, owner_id, created_at_ticks, metadata, model, instructions, temperature, top_p, max_tokens, requests, prompt_tokens, completion_tokens)
            VALUES ('conv_old', 'user_old', {{ticks}}, '{"topic":"tea"}', 'gpt-old', 'Be brief.', 0.5, NULL, 100, 1, 10, 5)
            """,
            $"""
            INSERT INTO messages (conversation_id, seq, id, role, content, status, created_at_ticks, prompt_tokens, completion_tokens, model, finish_reason, completion_id)
            VALUES ('conv_old', 1, 'msg_old_1', 'user', 'hello', 'completed', {ticks}, 0, 0, '', '', ''),
                   ('conv_old', 2, 'msg_old_2', 'assistant', 'hi there', 'completed', {ticks + 1}, 10, 5, 'gpt-old', 'stop', 'chatcmpl-old')
            """,
            $"INSERT INTO users (id, name, requests_per_minute, tokens_per_day, concurrent_streams, created_at_ticks) VALUES ('user_old', 'Old User', NULL, NULL, NULL, {ticks})",
            $"INSERT INTO api_keys (id, user_id, prefix, hash, created_at_ticks, revoked_at_ticks) VALUES ('key_old', 'user_old', 'sk-old', 'hash_old', {ticks}, NULL)",
            "INSERT INTO usage_daily (user_id, day, requests, prompt_tokens, completion_tokens) VALUES ('user_old', '2025-03-04', 1, 10, 5)",
            "INSERT INTO service_values (name, value) VALUES ('admin_key_hash', 'hash_admin')",
        })
        {
            await Backend.ExecuteAsync(old, sql);
        }

        await using var upgraded = await OpenStore.StartAsync(Backend, old);

        Assert.Equal(AllSteps, await Backend.ReadSchemaVersionsAsync(old));
        var stored = await upgraded.Conversations.LoadAsync("conv_old");
        Assert.NotNull(stored);
        Assert.Equal("tea", stored.Conversation.Metadata["topic"]);
        Assert.Equal(new Core.Conversations.ConversationUsage(1, new Core.Messages.TokenUsage(10, 5)), stored.Conversation.Usage);
        Assert.Equal(["hello", "hi there"], stored.Items.Select(m => m.Text()));
        Assert.Empty(stored.TurnKeys);
        Assert.Equal("user_old", (await upgraded.Users.FindKeyByHashAsync("hash_old"))?.UserId);
        Assert.Equal("Old User", (await upgraded.Users.GetUserAsync("user_old"))?.Name);
        Assert.Equal("hash_admin", await upgraded.Users.GetServiceValueAsync("admin_key_hash"));
        Assert.Equal(10, (await upgraded.Usage.GetDayAsync("user_old", Samples.Today)).Tokens.PromptTokens);

        // The new tables work on the old data: a keyed turn on the old conversation, a stored answer.
        var turn = Samples.KeyedTurn(stored.Conversation, 3, "after-upgrade");
        await Expect.Appended(upgraded.Conversations.AppendTurnAsync(turn));
        Assert.Equal(turn.Key, Assert.Single((await upgraded.Conversations.LoadAsync("conv_old"))!.TurnKeys));
        var record = Samples.Record(userId: "user_old");
        await upgraded.Idempotency.PutAsync(record);
        Expect.SameRecord(record, await upgraded.Idempotency.GetAsync("user_old", record.Key, Samples.Start));
    }

    [Fact]
    public async Task A_database_from_a_build_that_knew_only_steps_1_and_2_is_migrated_and_its_messages_load_as_items()
    {
        var old = await Backend.CreateDatabaseAtSchemaStepAsync(2);
        var ticks = Samples.Start.UtcTicks;
        // Rows as the step-2 build wrote them: text messages, the reply's usage in plain columns, a turn key.
        foreach (var sql in new[]
        {
            $$"""
            INSERT INTO conversations (id, owner_id, created_at_ticks, metadata, model, instructions, temperature, top_p, max_tokens, requests, prompt_tokens, completion_tokens)
            VALUES ('conv_old', 'user_old', {{ticks}}, '{}', 'gpt-old', '', NULL, NULL, NULL, 2, 30, 12)
            """,
            $"""
            INSERT INTO messages (conversation_id, seq, id, role, content, status, created_at_ticks, prompt_tokens, completion_tokens, model, finish_reason, completion_id)
            VALUES ('conv_old', 1, 'msg_old_1', 'developer', 'Be brief.', 'completed', {ticks}, 0, 0, '', '', ''),
                   ('conv_old', 2, 'msg_old_2', 'user', 'hello', 'completed', {ticks + 1}, 0, 0, '', '', ''),
                   ('conv_old', 3, 'msg_old_3', 'assistant', 'hi there', 'completed', {ticks + 2}, 10, 5, 'gpt-old', 'stop', 'chatcmpl-old1'),
                   ('conv_old', 4, 'msg_old_4', 'user', 'tell me more', 'completed', {ticks + 3}, 0, 0, '', '', ''),
                   ('conv_old', 5, 'msg_old_5', 'assistant', 'well, th', 'incomplete', {ticks + 4}, 20, 7, 'gpt-old', 'length', 'chatcmpl-old2')
            """,
            $"INSERT INTO turn_keys (conversation_id, key, request_hash, reply_message_id, created_at_ticks) VALUES ('conv_old', 'old-key', 'hash_old', 'msg_old_5', {ticks + 4})",
        })
        {
            await Backend.ExecuteAsync(old, sql);
        }

        await using var upgraded = await OpenStore.StartAsync(Backend, old);

        Assert.Equal(AllSteps, await Backend.ReadSchemaVersionsAsync(old));
        var stored = await upgraded.Conversations.LoadAsync("conv_old");
        Assert.NotNull(stored);
        var at = Samples.Start;
        Item[] expected =
        [
            new MessageItem("msg_old_1", 1, ItemStatus.Completed, at, null, MessageRole.Developer, [new ContentPart.InputText("Be brief.")]),
            new MessageItem("msg_old_2", 2, ItemStatus.Completed, at.AddTicks(1), null, MessageRole.User, [new ContentPart.InputText("hello")]),
            new MessageItem("msg_old_3", 3, ItemStatus.Completed, at.AddTicks(2), new ReplyInfo(new TokenUsage(10, 5), "gpt-old", "stop", "chatcmpl-old1"), MessageRole.Assistant, [ContentPart.OutputText.Of("hi there")]),
            new MessageItem("msg_old_4", 4, ItemStatus.Completed, at.AddTicks(3), null, MessageRole.User, [new ContentPart.InputText("tell me more")]),
            new MessageItem("msg_old_5", 5, ItemStatus.Incomplete, at.AddTicks(4), new ReplyInfo(new TokenUsage(20, 7), "gpt-old", "length", "chatcmpl-old2"), MessageRole.Assistant, [ContentPart.OutputText.Of("well, th")]),
        ];
        Assert.Equal(expected.Length, stored.Items.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Expect.SameItem(expected[i], stored.Items[i]);
        }

        Assert.Equal(5, stored.LastSequence);
        Expect.SameTurnKeys([new StoredTurnKey("old-key", "hash_old", "msg_old_5", at.AddTicks(4))], stored.TurnKeys);

        // The old conversation takes the new kinds of writes: a keyed turn with its response, items, a delete.
        var turn = Samples.KeyedTurn(stored.Conversation, 6, "after-upgrade").WithResponse();
        await Expect.Appended(upgraded.Conversations.AppendTurnAsync(turn));
        Item call = new FunctionCallItem(Samples.NewId("fc"), 8, ItemStatus.Completed, at, null, "call_1", "lookup", "{}");
        Item output = new FunctionCallOutputItem(Samples.NewId("fco"), 9, ItemStatus.Completed, at, null, "call_1", "found");
        await Expect.Appended(upgraded.Conversations.AppendItemsAsync("conv_old", [call, output]));
        Assert.Equal(5, Expect.Stale(await upgraded.Conversations.AppendItemsAsync("conv_old", [Samples.Input(5, "over an old message")])).Sequence);
        Assert.True(await upgraded.Conversations.DeleteItemAsync("conv_old", "msg_old_1"));

        var after = await upgraded.Conversations.LoadAsync("conv_old");
        Assert.NotNull(after);
        Assert.Equal([2L, 3, 4, 5, 6, 7, 8, 9], after.Items.Select(i => i.Sequence));
        Expect.SameItem(call, after.Items[^2]);
        Expect.SameItem(output, after.Items[^1]);
        Expect.SameTurnKeys([new StoredTurnKey("old-key", "hash_old", "msg_old_5", at.AddTicks(4)), turn.Key!], after.TurnKeys);
        Assert.Equal(new Core.Conversations.ConversationUsage(3, new TokenUsage(33, 16)), after.Conversation.Usage);
        Expect.SameResponse(turn.Response!, await upgraded.Responses.GetAsync(turn.Response!.Id, Samples.Start));
    }

    [Fact]
    public async Task A_store_used_without_a_host_migrates_on_its_first_call()
    {
        var fresh = await Backend.CreateDatabaseAsync();
        var services = new ServiceCollection();
        Backend.AddStore(services, fresh);
        await using var provider = services.BuildServiceProvider();

        var users = await provider.GetRequiredService<IUserStore>().ListUsersAsync();

        Assert.Empty(users);
        Assert.Equal(AllSteps, await Backend.ReadSchemaVersionsAsync(fresh));
    }
}
