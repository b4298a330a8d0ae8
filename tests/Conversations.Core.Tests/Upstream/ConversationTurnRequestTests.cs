using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>
/// A conversation turn's upstream request, made as a conversation makes it: the conversation's settings
/// and the turn's own combined (<see cref="TurnSettings"/>), then the history and the new message as
/// messages (<see cref="ChatRequestBuilder"/>).
/// </summary>
public sealed class ConversationTurnRequestTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static MessageItem Input(long sequence, MessageRole role, string content) =>
        new($"msg_{sequence}", sequence, ItemStatus.Completed, At, null, role, [new ContentPart.InputText(content)]);

    /// <summary>An assistant reply: a completed one ended its turn and carries the reply info; one cut short has what arrived.</summary>
    private static MessageItem Reply(long sequence, string content, ItemStatus status) =>
        new(
            $"msg_{sequence}", sequence, status, At,
            new ReplyInfo(new TokenUsage(5, 7), "gpt-4o-mini", status == ItemStatus.Completed ? "stop" : "", "chatcmpl-1"),
            MessageRole.Assistant,
            content.Length == 0 ? [] : [ContentPart.OutputText.Of(content)]);

    private static UpstreamChatRequest Turn(ConversationSettings conversation, Item[] history, string content, TurnOverrides overrides, bool stream)
    {
        var turn = TurnSettings.ForMessage("resp_1", new SendMessage(content, stream, overrides));
        return ChatRequestBuilder.Build(
            TurnSettings.Model(conversation, turn), TurnSettings.Merge(conversation, turn.Settings), history, turn.Input.AsSpan(), stream);
    }

    [Fact]
    public void Instructions_lead_as_a_system_message_then_history_then_the_new_user_message()
    {
        var settings = ConversationSettings.ForModel("gpt-4o-mini") with { Instructions = "Be brief." };
        Item[] history =
        [
            Input(1, MessageRole.Developer, "Answer in French."),
            Input(2, MessageRole.User, "Hello"),
            Reply(3, "Bonjour", ItemStatus.Completed),
            Input(4, MessageRole.System, "Stay polite."),
        ];

        var request = Turn(settings, history, "How are you?", TurnOverrides.None, stream: false);

        Assert.Equal<UpstreamMessage>(
            [
                new UpstreamMessage("system", "Be brief."),
                new UpstreamMessage("developer", "Answer in French."),
                new UpstreamMessage("user", "Hello"),
                new UpstreamMessage("assistant", "Bonjour"),
                new UpstreamMessage("system", "Stay polite."),
                new UpstreamMessage("user", "How are you?"),
            ],
            request.Messages);
        Assert.Equal("gpt-4o-mini", request.Model);
        Assert.False(request.Stream);
    }

    [Fact]
    public void No_instructions_means_no_system_message()
    {
        var request = Turn(ConversationSettings.ForModel("m"), [], "Hi", TurnOverrides.None, stream: true);

        Assert.Equal<UpstreamMessage>([new UpstreamMessage("user", "Hi")], request.Messages);
        Assert.True(request.Stream);
    }

    [Fact]
    public void A_reply_cut_short_is_sent_as_far_as_the_user_saw_it_and_one_with_no_text_is_left_out()
    {
        Item[] history =
        [
            Input(1, MessageRole.User, "Tell me a story"),
            Reply(2, "Once upon a", ItemStatus.Incomplete),
            Input(3, MessageRole.User, "Go on"),
            Reply(4, "", ItemStatus.Incomplete),
        ];

        var request = Turn(ConversationSettings.ForModel("m"), history, "Please?", TurnOverrides.None, false);

        Assert.Equal<UpstreamMessage>(
            [
                new UpstreamMessage("user", "Tell me a story"),
                new UpstreamMessage("assistant", "Once upon a"),
                new UpstreamMessage("user", "Go on"),
                new UpstreamMessage("user", "Please?"),
            ],
            request.Messages);
    }

    [Fact]
    public void Per_turn_overrides_win_over_the_conversation_settings_and_absent_ones_fall_back()
    {
        var settings = new ConversationSettings("gpt-4o-mini", "", Temperature: 0.2, TopP: 0.9, MaxTokens: 100);

        var overridden = Turn(settings, [], "x", new TurnOverrides("gpt-4o", 1.5, null, 7), false);
        var plain = Turn(settings, [], "x", TurnOverrides.None, false);

        Assert.Equal(("gpt-4o", 1.5, 0.9, 7), (overridden.Model, overridden.Temperature, overridden.TopP, overridden.MaxTokens));
        Assert.Equal(("gpt-4o-mini", 0.2, 0.9, 100), (plain.Model, plain.Temperature, plain.TopP, plain.MaxTokens));
    }

    [Fact]
    public void Unset_sampling_settings_stay_unset()
    {
        var request = Turn(ConversationSettings.ForModel("m"), [], "x", TurnOverrides.None, false);

        Assert.Null(request.Temperature);
        Assert.Null(request.TopP);
        Assert.Null(request.MaxTokens);
    }
}
