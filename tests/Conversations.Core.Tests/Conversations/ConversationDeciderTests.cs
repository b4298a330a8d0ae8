using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
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

    private static long Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

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

    private static ConversationCommand.CompleteTurn Complete(TurnDraft draft, string content = "Hello?") =>
        new(content, draft, [new UpstreamMessage("user", content)], "msg_user", "msg_reply", Words);

    private static TurnDraft Finished(string text = "Hi there", TokenUsage? usage = null) =>
        StreamFold.Start("chatcmpl-1", Now.ToUnixTimeSeconds(), "gpt-4o-mini") with
        {
            Parts = [text],
            ContentLength = text.Length,
            FinishReason = "stop",
            Usage = usage ?? new TokenUsage(12, 2),
        };

    private static TurnDraft CutShort(string text = "Once upon") =>
        StreamFold.Start("chatcmpl-2", Now.ToUnixTimeSeconds(), "gpt-4o-mini") with { Parts = [text], ContentLength = text.Length };

    /// <summary>A turn stored under <paramref name="key"/>, as the decider would have decided it.</summary>
    private static ConversationEvent.TurnStored StoredTurn(ConversationState running, TurnDraft draft) =>
        Then<ConversationEvent.TurnStored>(When(running, Complete(draft)));

    [Fact]
    public void A_conversation_is_created_once_with_its_seed_items_numbered_from_one()
    {
        var request = new CreateConversation(ImmutableSortedDictionary<string, string>.Empty, SettingsPatch.None, [new NewItem(MessageRole.System, "Be brief.")]);

        var created = Then<ConversationEvent.Created>(When(Given(), new ConversationCommand.Create("conv_1", "user_alice", request, Defaults, ["msg_a"])));

        Assert.Equal(("conv_1", "user_alice", Defaults), (created.Conversation.Id, created.Conversation.OwnerId, created.Conversation.Settings));
        Assert.Equal([("msg_a", 1L, "Be brief.")], created.Items.Select(item => (item.Id, item.Sequence, item.Content)));
        Refused<ConversationError.Conflict>(When(Given(Created), new ConversationCommand.Create("conv_1", "user_bob", request, Defaults, ["msg_b"])));
    }

    [Fact]
    public void Nobody_but_the_owner_may_update_delete_or_talk_to_a_conversation()
    {
        var state = Given(Created);
        var update = new UpdateConversation(Change<ImmutableSortedDictionary<string, string>>.Keep, SettingsPatch.None);

        Refused<ConversationError.NotFound>(When(state, new ConversationCommand.Update("user_bob", update)));
        Refused<ConversationError.NotFound>(When(state, new ConversationCommand.Delete("user_bob")));
        Refused<ConversationError.NotFound>(When(state, Begin("user_bob")));
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
        var turn = StoredTurn(running, Finished(usage: new TokenUsage(12, 2)));

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
    public void A_finished_reply_is_stored_after_the_history_with_the_upstreams_usage_on_the_day_the_turn_began()
    {
        var running = Given(Created, Began(at: Now));

        var stored = StoredTurn(running, Finished("Hi there", new TokenUsage(12, 2)));

        Assert.Equal(new Message("msg_user", 1, MessageRole.User, "Hello?", MessageStatus.Completed, Now, TokenUsage.Zero, "", "", ""), stored.UserMessage);
        Assert.Equal(new Message("msg_reply", 2, MessageRole.Assistant, "Hi there", MessageStatus.Completed, Now, new TokenUsage(12, 2), "gpt-4o-mini", "stop", "chatcmpl-1"), stored.Reply);
        Assert.Equal(new DateOnly(2025, 6, 30), stored.Day);
        var after = ConversationDecider.Evolve(running, stored);
        Assert.Equal<Message>([stored.UserMessage, stored.Reply], after.History);
        Assert.Equal(new ConversationUsage(1, new TokenUsage(12, 2)), after.Conversation!.Usage);
    }

    [Fact]
    public void A_reply_cut_short_is_kept_as_incomplete_and_billed_by_estimate()
    {
        var stored = StoredTurn(Given(Created, Began()), CutShort("Once upon"));

        Assert.Equal(MessageStatus.Incomplete, stored.Reply.Status);
        Assert.Equal("Once upon", stored.Reply.Content);
        // The prompt as sent (one message: 3 framing + role + content, plus 3 priming) and the two words that arrived.
        Assert.Equal(new TokenUsage(3 + 3 + 1 + 1, 2), stored.Reply.Usage);
    }

    [Fact]
    public void A_single_shot_completion_is_complete_even_without_a_finish_reason()
    {
        var completion = new ChatCompletion("chatcmpl-3", Now.ToUnixTimeSeconds(), "llama3", "Sure.", "", new TokenUsage(5, 1));

        var stored = StoredTurn(Given(Created, Began()), StreamFold.FromCompletion(completion));

        Assert.Equal(MessageStatus.Completed, stored.Reply.Status);
    }

    [Fact]
    public void Only_a_turn_that_began_can_be_stored()
    {
        Refused<ConversationError.Conflict>(When(Given(Created), Complete(Finished())));
    }

    [Fact]
    public void A_repeat_of_a_stored_turn_is_answered_with_it_even_while_another_turn_runs()
    {
        var keyed = Given(Created, Began(Key));
        var first = StoredTurn(keyed, Finished());
        var state = Given(Created, Began(Key), first, new ConversationEvent.TurnEnded(), Began());

        var replayed = Then<ConversationEvent.TurnReplayed>(When(state, Begin(key: Key), Now.AddHours(1)));

        Assert.Equal((first.UserMessage, first.Reply), (replayed.UserMessage, replayed.Reply));
        Assert.Equal(state, ConversationDecider.Evolve(state, replayed));
    }

    [Fact]
    public void A_key_is_refused_with_another_request_or_while_its_first_turn_runs_and_forgotten_after_its_window()
    {
        var running = Given(Created, Began(Key));
        var done = Given(Created, Began(Key), StoredTurn(running, Finished()), new ConversationEvent.TurnEnded());

        Refused<ConversationError.IdempotencyKeyInUse>(When(running, Begin(key: Key)));
        Refused<ConversationError.IdempotencyKeyReused>(When(done, Begin(key: Key with { RequestHash = "another-body" })));
        Then<ConversationEvent.TurnBegan>(When(done, Begin(key: Key), Now + IdempotencyKey.Window));
    }

    [Fact]
    public void A_turn_that_stored_nothing_frees_its_key_so_a_retry_runs_it()
    {
        var abandoned = Given(Created, Began(Key), new ConversationEvent.TurnEnded());

        Assert.False(abandoned.IsRunningTurn);
        Then<ConversationEvent.TurnBegan>(When(abandoned, Begin(key: Key)));
    }

    [Fact]
    public void The_stored_turns_key_names_its_reply_and_survives_the_end_of_the_turn()
    {
        var running = Given(Created, Began(Key));
        var stored = StoredTurn(running, Finished());

        var after = Given(Created, Began(Key), stored, new ConversationEvent.TurnEnded());

        Assert.Equal(Key, stored.Key);
        Assert.Equal(new TurnKeyEntry(Key.RequestHash, "msg_reply", Now), after.TurnKeys[Key.Key]);
    }

    [Fact]
    public void A_stream_that_stopped_reports_why_and_what_was_kept()
    {
        var stored = StoredTurn(Given(Created, Began()), Finished());
        var cut = StoredTurn(Given(Created, Began()), CutShort());
        var failure = new UpstreamError.StreamFailed("reset", null);

        Assert.Equal(new TurnEvent.Completed(stored.Reply), TurnEnding.Report(new StreamStop.Finished(), stored));
        Assert.Equal(new TurnEvent.Failed(TurnEnding.CutShort), TurnEnding.Report(new StreamStop.Finished(), cut));
        Assert.Equal(new TurnEvent.Failed(TurnEnding.EndedBeforeAnyChunk), TurnEnding.Report(new StreamStop.Finished(), null));
        Assert.Equal(new TurnEvent.Failed(new ConversationError.Upstream(failure)), TurnEnding.Report(new StreamStop.Failed(failure), cut));
        Assert.Equal(new TurnEvent.Failed(new ConversationError.Conflict()), TurnEnding.Report(new StreamStop.Failed(failure), new ConversationError.Conflict()));
        Assert.Equal(new TurnEvent.Failed(new ConversationError.ShuttingDown()), TurnEnding.Report(new StreamStop.Drained(), cut));
    }

    [Fact]
    public void A_replayed_stream_ends_the_way_the_first_one_ended()
    {
        var whole = StoredTurn(Given(Created, Began()), Finished("Hi there")).Reply;
        var cut = StoredTurn(Given(Created, Began()), CutShort("")).Reply;

        Assert.Equal<TurnEvent>(
            [new TurnEvent.Started("chatcmpl-1", Now, "gpt-4o-mini"), new TurnEvent.Delta("Hi there"), new TurnEvent.Completed(whole)],
            TurnEnding.Replay(whole));
        Assert.Equal<TurnEvent>(
            [new TurnEvent.Started("chatcmpl-2", Now, "gpt-4o-mini"), new TurnEvent.Failed(TurnEnding.CutShort)],
            TurnEnding.Replay(cut));
    }
}
