using System.Collections.Immutable;
using System.Text;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>
/// A conversation keeps its history in upstream form (messages and their JSON) between turns. A request
/// built from that form must be exactly the request built from the stored messages: same messages, same
/// bytes on the wire.
/// </summary>
public sealed class PreparedHistoryTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Message Input(long sequence, MessageRole role, string content) =>
        Message.Input($"msg_{sequence}", sequence, role, content, At);

    private static Message Reply(long sequence, string content, MessageStatus status) =>
        new($"msg_{sequence}", sequence, MessageRole.Assistant, content, status, At, new TokenUsage(5, 7), "gpt-4o-mini", "stop", "chatcmpl-1");

    /// <summary>The upstream form, made the way a conversation makes it: message by message, each after a comma but the first.</summary>
    private static UpstreamHistory Prepared(IEnumerable<Message> history, int segmentSize)
    {
        var sent = history.Where(ChatRequestBuilder.IsSent).Select(ChatRequestBuilder.ForUpstream).ToImmutableArray();
        var bytes = sent.Select((m, i) => ChatRequestBuilder.Json(m, leadingComma: i > 0)).SelectMany(b => b).ToArray();
        var segments = bytes.Chunk(segmentSize).Select(chunk => (ReadOnlyMemory<byte>)chunk).ToImmutableArray();
        return new UpstreamHistory(sent, segments);
    }

    public static TheoryData<string, bool, bool> Cases() => new()
    {
        { "", false, false },
        { "Be brief.", false, true },
        { "", true, false },
        { "Answer in \"French\" \\ please 😀 中文 \u0001", true, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_request_from_the_prepared_history_is_the_request_from_the_stored_messages(string instructions, bool withOverrides, bool stream)
    {
        var settings = ConversationSettings.ForModel("gpt-4o-mini") with { Instructions = instructions, Temperature = 0.25 };
        Message[] history =
        [
            Input(1, MessageRole.Developer, "Answer in French."),
            Input(2, MessageRole.User, "Hello \"there\"\n"),
            Reply(3, "Bonjour", MessageStatus.Completed),
            Input(4, MessageRole.User, "Tell me more"),
            Reply(5, "", MessageStatus.Incomplete),
            Input(6, MessageRole.User, "Are you there?"),
            Reply(7, "Oui, je suis l", MessageStatus.Incomplete),
        ];
        var overrides = withOverrides ? new TurnOverrides("gpt-4o", 0.9, 0.5, 50) : TurnOverrides.None;

        var expected = ChatRequestBuilder.Build(settings, history, "Next question é", overrides, stream);
        foreach (var segmentSize in (int[])[1, 7, 4096])
        {
            var actual = ChatRequestBuilder.Build(settings, Prepared(history, segmentSize), "Next question é", overrides, stream);

            Assert.Equal(expected.Messages.Select(m => $"{m.Role}:{m.Content}"), actual.Messages.Select(m => $"{m.Role}:{m.Content}"));
            Assert.Equal((expected.Model, expected.Temperature, expected.TopP, expected.MaxTokens, expected.Stream), (actual.Model, actual.Temperature, actual.TopP, actual.MaxTokens, actual.Stream));
            Assert.NotNull(actual.MessagesJson);
            Assert.Equal(Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(expected)), Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(actual)));
        }
    }

    [Fact]
    public void With_no_history_the_request_holds_the_instructions_and_the_new_message()
    {
        var settings = ConversationSettings.ForModel("m") with { Instructions = "Be brief." };

        var actual = ChatRequestBuilder.Build(settings, UpstreamHistory.Empty, "Hi", TurnOverrides.None, stream: false);

        Assert.Equal(
            """{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""",
            Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(actual)));
    }
}
