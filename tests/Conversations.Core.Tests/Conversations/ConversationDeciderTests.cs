using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Idempotency;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Core.Tests.Conversations;

/// <summary>The conversation's rules, read as given (what happened) / when (a command) / then (what happens or why not).</summary>
public sealed class ConversationDeciderTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 23, 59, 30, TimeSpan.Zero);
    private static readonly ConversationSettings Defaults = ConversationSettings.ForModel("gpt-4o-mini");
    private static readonly IdempotencyKey Key = new("retry-1", "hash-of-the-first-body");

    private static readonly Conversation Alices = new(
        "conv_1", "user_alice", Now.AddDays(-1), ImmutableSortedDictionary<string, string>.Empty, Defaults, ConversationUsage.None);

    private static ConversationState Given(params ConversationEvent[] events) =>
        events.Aggregate(ConversationState.None, ConversationDecider.Evolve);

    private static OneOf<ConversationEvent, ConversationError> When(ConversationState state, ConversationCommand command, DateTimeOffset? at = null) =>
        ConversationDecider.Decide(state, command, at ?? Now);

    private static TEvent Then<TEvent>(OneOf<ConversationEvent, ConversationError> decided) where TEvent : ConversationEvent
    {
        Assert.True(decided.IsT0, $"Expected {typeof(TEvent).Name}, got {decided.Value}");
        return Assert.IsType<TEvent>(decided.AsT0);
    }

    private static TError Refused<TError>(OneOf<ConversationEvent, ConversationError> decided) where TError : ConversationError
    {
        Assert.True(decided.IsT1, $"Expected {typeof(TError).Name}, got {decided.Value}");
        return Assert.IsType<TError>(decided.AsT1);
    }

    private static readonly ConversationEvent Created = new ConversationEvent.Created(Alices, []);

    private static ConversationEvent Began(IdempotencyKey? key = null, DateTimeOffset? at = null) => new ConversationEvent.TurnBegan(key, at ?? Now);

    private static ConversationCommand.BeginTurn Begin(string owner = "user_alice", IdempotencyKey? key = null, bool stopping = false) => new(owner, key, stopping);

    private static Item Said(string text, string id = "msg_user") =>
        new MessageItem(id, 0, ItemStatus.Completed, Now, null, MessageRole.User, [new ContentPart.InputText(text)]);

    private static Item Answered(string text, string finishReason = "stop", TokenUsage? usage = null, string id = "msg_reply") =>
        new MessageItem(id, 0, finishReason.Length > 0 ? ItemStatus.Completed : ItemStatus.Incomplete, Now,
            new ReplyInfo(usage ?? new TokenUsage(12, 2), "gpt-4o-mini", finishReason, "chatcmpl-1"), MessageRole.Assistant, [ContentPart.OutputText.Of(text)]);

    private static ResponseRecord Response(ImmutableArray<Item> output, bool stored = false, string id = "resp_1", ImmutableArray<Item>? input = null)
    {
        var started = TurnResponses.Started(id, "user_alice", "conv_1", null, Now, "gpt-4o-mini", ResponseSettings.Default, input ?? [Said("Hello?")], stored, background: false);
        return TurnResponses.Finished(started, output, output[^1].Reply!, Now);
    }

    private static ConversationEvent.TurnStored Stored(ConversationState running, ResponseRecord response) =>
        Then<ConversationEvent.TurnStored>(When(running, new ConversationCommand.CompleteTurn(response)));

    [Fact]
    public void A_conversation_is_created_once_with_its_seed_items_numbered_from_one()
    {
        var request = new CreateConversation(ImmutableSortedDictionary<string, string>.Empty, SettingsPatch.None,
            [new MessageItem("", 0, ItemStatus.Completed, default, null, MessageRole.System, [new ContentPart.InputText("Be brief.")])]);

        var created = Then<ConversationEvent.Created>(When(Given(), new ConversationCommand.Create("conv_1", "user_alice", request, Defaults, ["msg_a"])));

        Assert.Equal(("conv_1", "user_alice", Defaults), (created.Conversation.Id, created.Conversation.OwnerId, created.Conversation.Settings));
        Assert.Equal([("msg_a", 1L, "Be brief.")], created.Items.Select(item => (item.Id, item.Sequence, ((MessageItem)item).Text)));
        Refused<ConversationError.Conflict>(When(Given(Created), new ConversationCommand.Create("conv_1", "user_bob", request, Defaults, ["msg_b"])));
    }

    [Fact]
    public void Nobody_but_the_owner_may_update_delete_or_talk_to_a_conversation_or_its_items()
    {
        var state = Given(Created);
        var update = new UpdateConversation(Change<ImmutableSortedDictionary<string, string>>.Keep, SettingsPatch.None);

        Refused<ConversationError.NotFound>(When(state, new ConversationCommand.Update("user_bob", update)));
        Refused<ConversationError.NotFound>(When(state, new ConversationCommand.Delete("user_bob")));
        Refused<ConversationError.NotFound>(When(state, Begin("user_bob")));
        Refused<ConversationError.NotFound>(When(state, new ConversationCommand.AppendItems("user_bob", [Said("hi")], ["msg_x"])));
        Refused<ConversationError.NotFound>(When(state, new ConversationCommand.DeleteItem("user_bob", "msg_x")));
        Refused<ConversationError.NotFound>(When(Given(), Begin()));
        Assert.Null(state.OwnedBy("user_bob"));
    }

    [Fact]
    public void An_update_replaces_metadata_merges_settings_and_keeps_the_usage_of_a_turn_stored_meanwhile()
    {
        var running = Given(Created, Began());
        var patch = SettingsPatch.None with { Temperature = Change<double?>.To(0.2) };
        var metadata = ImmutableSortedDictionary<string, string>.Empty.Add("topic", "tea");
        var updated = Then<ConversationEvent.Updated>(When(running, new ConversationCommand.Update(
            "user_alice", new UpdateConversation(Change<ImmutableSortedDictionary<string, string>>.To(metadata), patch))));
        var turn = Stored(running, Response([Answered("Hi there", usage: new TokenUsage(12, 2))]));

        // The turn is stored while the update is written; the update is applied after it.
        var after = ConversationDecider.Evolve(ConversationDecider.Evolve(running, turn), updated);

        Assert.Equal(metadata, after.Conversation!.Metadata);
        Assert.Equal(Defaults with { Temperature = 0.2 }, after.Conversation.Settings);
        Assert.Equal(new ConversationUsage(1, new TokenUsage(12, 2)), after.Conversation.Usage);
    }

    [Fact]
    public void A_conversation_running_a_turn_cannot_be_deleted_and_a_deleted_one_is_gone()
    {
        Refused<ConversationError.Busy>(When(Given(Created, Began()), new ConversationCommand.Delete("user_alice")));

        var deleted = Then<ConversationEvent.Deleted>(When(Given(Created), new ConversationCommand.Delete("user_alice")));
        var after = ConversationDecider.Evolve(Given(Created), deleted);

        Assert.Equal(Alices, deleted.Conversation);
        Assert.Null(after.Conversation);
        Refused<ConversationError.NotFound>(When(after, Begin()));
    }

    [Fact]
    public void A_turn_begins_only_on_an_idle_conversation_and_not_on_a_stopping_silo()
    {
        var began = Then<ConversationEvent.TurnBegan>(When(Given(Created), Begin()));
        Assert.Equal(Now, began.At);

        Refused<ConversationError.Busy>(When(Given(Created, Began()), Begin()));
        Refused<ConversationError.ShuttingDown>(When(Given(Created), Begin(stopping: true)));
        // Busy is said first: the conversation is not this silo's to hand over while it runs a turn.
        Refused<ConversationError.Busy>(When(Given(Created, Began()), Begin(stopping: true)));
    }

    [Fact]
    public void A_turns_input_then_output_are_numbered_after_the_history_and_its_usage_is_counted_on_the_day_it_began()
    {
        var running = Given(Created, new ConversationEvent.ItemsAppended([Said("earlier", "msg_0") with { Sequence = 1 }]), Began(at: Now));

        var stored = Stored(running, Response([Answered("Hi there") with { Reply = null }, new FunctionCallItem("fc_1", 0, ItemStatus.Completed, Now, new ReplyInfo(new TokenUsage(12, 2), "gpt-4o-mini", "tool_calls", "chatcmpl-1"), "call_1", "f", "{}")]));

        Assert.Equal([("msg_user", 2L), ("msg_reply", 3L), ("fc_1", 4L)], stored.Items.Select(item => (item.Id, item.Sequence)));
        Assert.Equal("conv_1", stored.Response.ConversationId);
        Assert.Equal(new DateOnly(2025, 6, 30), stored.Day);
        var after = ConversationDecider.Evolve(running, stored);
        Assert.Equal(["msg_0", "msg_user", "msg_reply", "fc_1"], after.History.Select(item => item.Id));
        Assert.Equal(4, after.LastSequence);
        Assert.Equal(new ConversationUsage(1, new TokenUsage(12, 2)), after.Conversation!.Usage);
    }

    [Fact]
    public void Only_a_turn_that_began_can_be_stored()
    {
        Refused<ConversationError.Conflict>(When(Given(Created), new ConversationCommand.CompleteTurn(Response([Answered("Hi")]))));
    }

    [Fact]
    public void Items_are_appended_after_the_history_but_not_while_a_turn_runs()
    {
        var appended = Then<ConversationEvent.ItemsAppended>(When(Given(Created), new ConversationCommand.AppendItems("user_alice", [Said("one", ""), Said("two", "")], ["msg_1", "msg_2"])));

        Assert.Equal([("msg_1", 1L, Now), ("msg_2", 2L, Now)], appended.Items.Select(item => (item.Id, item.Sequence, item.CreatedAt)));
        Refused<ConversationError.Busy>(When(Given(Created, Began()), new ConversationCommand.AppendItems("user_alice", [Said("one")], ["msg_1"])));
    }

    [Fact]
    public void A_deleted_items_position_stays_taken()
    {
        var one = Said("one", "msg_1") with { Sequence = 1 };
        var two = Said("two", "msg_2") with { Sequence = 2 };
        var state = Given(Created, new ConversationEvent.ItemsAppended([one, two]));

        var deleted = Then<ConversationEvent.ItemDeleted>(When(state, new ConversationCommand.DeleteItem("user_alice", "msg_2")));
        var after = ConversationDecider.Evolve(state, deleted);
        var next = Then<ConversationEvent.ItemsAppended>(When(after, new ConversationCommand.AppendItems("user_alice", [Said("three", "")], ["msg_3"])));

        Assert.Equal(["msg_1"], after.History.Select(item => item.Id));
        Assert.Equal(3, next.Items[0].Sequence);
        Refused<ConversationError.ItemNotFound>(When(after, new ConversationCommand.DeleteItem("user_alice", "msg_2")));
    }

    [Fact]
    public void A_repeat_of_a_chat_turn_is_answered_from_the_history_even_while_another_turn_runs()
    {
        var first = Stored(Given(Created, Began(Key)), Response([Answered("Hi there")]));
        var state = Given(Created, Began(Key), first, new ConversationEvent.TurnEnded(), Began());

        var replayed = Then<ConversationEvent.TurnReplayed>(When(state, Begin(key: Key), Now.AddHours(1)));

        Assert.NotNull(replayed.Response);
        Assert.Equal<Item>(first.Response.Input, replayed.Response.Input);
        Assert.Equal<Item>(first.Response.Output, replayed.Response.Output);
        Assert.Equal(first.Response.Usage, replayed.Response.Usage);
        Assert.Equal(state, ConversationDecider.Evolve(state, replayed));
    }

    [Fact]
    public void A_repeat_of_a_stored_response_is_answered_by_its_id()
    {
        var first = Stored(Given(Created, Began(Key)), Response([Answered("Hi there")], stored: true, id: "resp_9"));
        var state = Given(Created, Began(Key), first, new ConversationEvent.TurnEnded());

        var replayed = Then<ConversationEvent.TurnReplayed>(When(state, Begin(key: Key)));

        Assert.Equal((null, "resp_9"), (replayed.Response, replayed.ResponseId));
    }

    [Fact]
    public void A_key_is_refused_with_another_request_or_while_its_first_turn_runs_and_forgotten_after_its_window()
    {
        var running = Given(Created, Began(Key));
        var done = Given(Created, Began(Key), Stored(running, Response([Answered("Hi")])), new ConversationEvent.TurnEnded());

        Assert.IsType<KeyRefusal.InUse>(Refused<ConversationError.KeyRefused>(When(running, Begin(key: Key))).Refusal);
        Assert.IsType<KeyRefusal.Reused>(Refused<ConversationError.KeyRefused>(When(done, Begin(key: Key with { RequestHash = "another-body" }))).Refusal);
        Then<ConversationEvent.TurnBegan>(When(done, Begin(key: Key), Now + IdempotencyKey.Window));
    }

    [Fact]
    public void An_identical_request_just_after_a_turn_gets_that_turn_again_without_a_key()
    {
        var retry = IdempotencyKey.Retry("POST /v1/responses", "{\"input\":\"hi\"}"u8, isRetry: true);
        var first = Stored(Given(Created, Began(retry)), Response([Answered("Hi there")], stored: true, id: "resp_7"));
        var done = Given(Created, Began(retry), first, new ConversationEvent.TurnEnded());

        var replayed = Then<ConversationEvent.TurnReplayed>(When(done, Begin(key: retry), Now + IdempotencyKey.RetryWindow - TimeSpan.FromTicks(1)));

        Assert.Equal("resp_7", replayed.ResponseId);
        // Later, or with another body, it is a new turn: a person may say the same thing twice.
        Then<ConversationEvent.TurnBegan>(When(done, Begin(key: retry), Now + IdempotencyKey.RetryWindow));
        Then<ConversationEvent.TurnBegan>(When(done, Begin(key: IdempotencyKey.Retry("POST /v1/responses", "{\"input\":\"hello\"}"u8, isRetry: true))));
    }

    [Fact]
    public void An_identical_first_attempt_just_after_a_turn_is_a_new_turn_and_is_remembered_for_its_own_retry()
    {
        var first = IdempotencyKey.Retry("POST /v1/responses", "{\"input\":\"continue\"}"u8, isRetry: false);
        var stored = Stored(Given(Created, Began(first)), Response([Answered("Once")], stored: true, id: "resp_7"));
        var done = Given(Created, Began(first), stored, new ConversationEvent.TurnEnded());

        // The same words sent again as a first attempt (a person, not an SDK's retry) run again.
        Then<ConversationEvent.TurnBegan>(When(done, Begin(key: first)));
        // The SDK's retry of that request is answered with the turn it made.
        var replayed = Then<ConversationEvent.TurnReplayed>(When(done, Begin(key: first with { IsRetry = true })));
        Assert.Equal("resp_7", replayed.ResponseId);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("3", true)]
    [InlineData("-1", false)]
    [InlineData("one", false)]
    public void Only_a_retry_count_above_zero_says_a_request_is_a_retry(string? header, bool isRetry) =>
        Assert.Equal(isRetry, IdempotencyKey.SaysRetry(header));

    [Fact]
    public void An_identical_request_while_its_turn_runs_is_busy_not_refused_for_its_key()
    {
        var retry = IdempotencyKey.Retry("POST /v1/responses", "{}"u8, isRetry: true);

        Refused<ConversationError.Busy>(When(Given(Created, Began(retry)), Begin(key: retry)));
    }

    [Fact]
    public void A_turn_that_stored_nothing_frees_its_key_so_a_retry_runs_it()
    {
        var abandoned = Given(Created, Began(Key), new ConversationEvent.TurnEnded());

        Assert.False(abandoned.IsRunningTurn);
        Then<ConversationEvent.TurnBegan>(When(abandoned, Begin(key: Key)));
    }

    [Fact]
    public void The_stored_turns_key_names_its_last_item_and_response_id_and_survives_the_end_of_the_turn()
    {
        var stored = Stored(Given(Created, Began(Key)), Response([Answered("Hi")]));

        var after = Given(Created, Began(Key), stored, new ConversationEvent.TurnEnded());

        Assert.Equal(Key, stored.Key);
        Assert.Equal(new KeyRecord<string>.Completed(Key.RequestHash, "msg_reply@resp_1", Now), after.TurnKeys[Key.Key]);
    }

    [Fact]
    public void A_repeat_of_an_unstored_response_answers_with_the_id_it_was_first_given()
    {
        var first = Stored(Given(Created, Began(Key)), Response([Answered("Hi there")], id: "resp_7"));
        var state = Given(Created, Began(Key), first, new ConversationEvent.TurnEnded());

        var replayed = Then<ConversationEvent.TurnReplayed>(When(state, Begin(key: Key)));

        Assert.Equal("resp_7", replayed.Response!.Id);
        Assert.Equal<Item>(first.Response.Output, replayed.Response.Output);
    }

    [Fact]
    public void A_key_kept_before_response_ids_were_remembered_still_replays_its_turn()
    {
        var first = Stored(Given(Created, Began(Key)), Response([Answered("Hi there")], id: ""));
        var state = Given(Created, Began(Key), first, new ConversationEvent.TurnEnded());

        var replayed = Then<ConversationEvent.TurnReplayed>(When(state, Begin(key: Key)));

        Assert.Equal(new KeyRecord<string>.Completed(Key.RequestHash, "msg_reply", Now), state.TurnKeys[Key.Key]);
        Assert.Equal("", replayed.Response!.Id);
        Assert.Equal<Item>(first.Response.Output, replayed.Response.Output);
    }

    [Fact]
    public void A_stream_that_stopped_reports_why_and_what_was_kept()
    {
        var whole = Response([Answered("Hi there")]);
        var cut = Response([Answered("Once upon", finishReason: "")]);
        var failure = new UpstreamError.StreamFailed("reset", null);

        Assert.Equal(new TurnEvent.Completed(whole), TurnEnding.Report(new StreamStop.Finished(), whole));
        Assert.Equal(new TurnEvent.Failed(TurnEnding.CutShort, cut), TurnEnding.Report(new StreamStop.Finished(), cut));
        Assert.Equal(new TurnEvent.Failed(TurnEnding.EndedBeforeAnyChunk), TurnEnding.Report(new StreamStop.Finished(), null));
        Assert.Equal(new TurnEvent.Failed(new ConversationError.Upstream(failure), cut), TurnEnding.Report(new StreamStop.Failed(failure), cut));
        Assert.Equal(new TurnEvent.Failed(new ConversationError.Conflict()), TurnEnding.Report(new StreamStop.Failed(failure), new ConversationError.Conflict()));
        Assert.Equal(new TurnEvent.Failed(new ConversationError.ShuttingDown(), cut), TurnEnding.Report(new StreamStop.Drained(), cut));
    }

    [Fact]
    public void A_replayed_stream_ends_the_way_the_first_one_ended()
    {
        var whole = Response([Answered("Hi there")]);
        var cut = Response([Answered("", finishReason: "")]);

        var replay = TurnEnding.Replay(whole);
        var started = Assert.IsType<TurnEvent.Started>(replay[0]);
        Assert.Equal(("chatcmpl-1", Now, "gpt-4o-mini"), (started.CompletionId, started.Created, started.Model));
        Assert.Equal((ResponseStatus.InProgress, 0), (started.Response!.Status, started.Response.Output.Length));
        Assert.Equal(new TurnEvent.Delta("Hi there"), replay[2]);
        Assert.Equal(new TurnEvent.Completed(whole), replay[^1]);
        Assert.Equal(new TurnEvent.Failed(TurnEnding.CutShort, cut), TurnEnding.Replay(cut)[^1]);
    }
}
