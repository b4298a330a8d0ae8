using System.Collections.Immutable;
using System.Text;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>
/// A conversation keeps its history in upstream form (messages and their JSON) between turns. A turn's
/// request built from that form must be exactly the request built from the stored items: same messages,
/// same bytes on the wire, wherever the kept JSON happens to be split into segments.
/// </summary>
public sealed class PreparedHistoryTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ImmutableArray<Item> History =
    [
        Input(1, MessageRole.Developer, "Answer in French."),
        Input(2, MessageRole.User, "Hello \"there\"\n"),
        Reply(3, "Bonjour", ItemStatus.Completed),
        Input(4, MessageRole.User, "Tell me more"),
        Reply(5, "", ItemStatus.Incomplete),
        Input(6, MessageRole.User, "Are you there?"),
        Reply(7, "Oui, je suis l", ItemStatus.Incomplete),
        Input(8, MessageRole.User, "Weather in Paris?"),
        new MessageItem("msg_9", 9, ItemStatus.Completed, At, null, MessageRole.Assistant, [ContentPart.OutputText.Of("Je regarde.")]),
        new FunctionCallItem("fc_10", 10, ItemStatus.Completed, At, new ReplyInfo(new TokenUsage(5, 7), "gpt-4o-mini", "tool_calls", "chatcmpl-2"), "call_1", "get_weather", """{"city":"Paris"}"""),
        new FunctionCallOutputItem("fco_11", 11, ItemStatus.Completed, At, null, "call_1", "21C"),
    ];

    private static MessageItem Input(long sequence, MessageRole role, string content) =>
        new($"msg_{sequence}", sequence, ItemStatus.Completed, At, null, role, [new ContentPart.InputText(content)]);

    private static MessageItem Reply(long sequence, string content, ItemStatus status) =>
        new(
            $"msg_{sequence}", sequence, status, At,
            new ReplyInfo(new TokenUsage(5, 7), "gpt-4o-mini", status == ItemStatus.Completed ? "stop" : "", "chatcmpl-1"),
            MessageRole.Assistant,
            content.Length == 0 ? [] : [ContentPart.OutputText.Of(content)]);

    /// <summary>
    /// The upstream form as a conversation keeps it: the settled messages with their JSON, the JSON cut
    /// into segments of <paramref name="segmentSize"/> bytes; and the items after them, still to be made
    /// into messages with the turn's input.
    /// </summary>
    private static (UpstreamHistory Prepared, ImmutableArray<Item> Unprepared) Kept(ImmutableArray<Item> history, int segmentSize)
    {
        var run = ChatRequestBuilder.ForUpstream(history.AsSpan(), leadingComma: false);
        var bytes = run.Json[..run.SettledMessages].SelectMany(segment => segment.ToArray()).ToArray();
        var segments = bytes.Chunk(segmentSize).Select(chunk => (ReadOnlyMemory<byte>)chunk).ToImmutableArray();
        return (new UpstreamHistory(run.Messages[..run.SettledMessages], segments), history[run.SettledItems..]);
    }

    public static TheoryData<int, string, bool, bool> Cases()
    {
        var data = new TheoryData<int, string, bool, bool>();
        for (var length = 0; length <= History.Length; length++)
        {
            data.Add(length, "", false, false);
            data.Add(length, "Be brief.", false, true);
            data.Add(length, "", true, false);
            data.Add(length, "Answer in \"French\" \\ please 😀 中文 \u0001", true, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_request_from_the_prepared_history_is_the_request_from_the_stored_items(int historyLength, string instructions, bool withOverrides, bool stream)
    {
        var conversation = ConversationSettings.ForModel("gpt-4o-mini") with { Instructions = instructions, Temperature = 0.25 };
        var overrides = withOverrides ? new TurnOverrides("gpt-4o", 0.9, 0.5, 50) : TurnOverrides.None;
        var turn = TurnSettings.ForMessage("resp_1", new SendMessage("Next question é", stream, overrides));
        var (model, settings) = (TurnSettings.Model(conversation, turn), TurnSettings.Merge(conversation, turn.Settings));
        var history = History[..historyLength];

        var expected = ChatRequestBuilder.Build(model, settings, history.AsSpan(), turn.Input.AsSpan(), stream);
        foreach (var segmentSize in (int[])[1, 7, 4096])
        {
            var (prepared, unprepared) = Kept(history, segmentSize);
            var actual = ChatRequestBuilder.Build(model, settings, prepared, unprepared.AsSpan(), turn.Input.AsSpan(), stream);

            Assert.Equal<UpstreamMessage>(expected.Messages, actual.Messages);
            Assert.Equal((expected.Model, expected.Temperature, expected.TopP, expected.MaxTokens, expected.Stream), (actual.Model, actual.Temperature, actual.TopP, actual.MaxTokens, actual.Stream));
            Assert.NotNull(actual.MessagesJson);
            Assert.Equal(Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(expected)), Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(actual)));
        }
    }

    [Fact]
    public void With_no_history_the_request_holds_the_instructions_and_the_new_message()
    {
        var conversation = ConversationSettings.ForModel("m") with { Instructions = "Be brief." };
        var turn = TurnSettings.ForMessage("resp_1", new SendMessage("Hi", false, TurnOverrides.None));

        var actual = ChatRequestBuilder.Build(
            TurnSettings.Model(conversation, turn), TurnSettings.Merge(conversation, turn.Settings), UpstreamHistory.Empty, [], turn.Input.AsSpan(), stream: false);

        Assert.Equal(
            """{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""",
            Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(actual)));
    }
}
