using System.Collections.Immutable;
using System.Text;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>
/// A conversation may keep its item history in upstream form and extend it as items arrive. Whatever the
/// points at which it took items in, a request built from that form must be exactly the request built
/// from the items: same messages, same bytes.
/// </summary>
public sealed class PreparedItemsTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ReplyInfo EndOfTurn = new(new TokenUsage(10, 5), "gpt-4o-mini", "tool_calls", "chatcmpl-1");

    private static readonly ImmutableArray<Item> History =
    [
        new MessageItem("msg_1", 1, ItemStatus.Completed, At, null, MessageRole.User, [new ContentPart.InputText("Weather in Paris \"and\" Rome? 中文")]),
        new MessageItem("msg_2", 2, ItemStatus.Completed, At, null, MessageRole.Assistant, [ContentPart.OutputText.Of("Checking.")]),
        new FunctionCallItem("fc_3", 3, ItemStatus.Completed, At, null, "call_1", "get_weather", """{"city":"Paris"}"""),
        new FunctionCallItem("fc_4", 4, ItemStatus.Completed, At, EndOfTurn, "call_2", "get_weather", """{"city":"Rome"}"""),
        new FunctionCallOutputItem("fco_5", 5, ItemStatus.Completed, At, null, "call_1", "21C"),
        new FunctionCallOutputItem("fco_6", 6, ItemStatus.Completed, At, null, "call_2", "25C"),
        new MessageItem("msg_7", 7, ItemStatus.Completed, At, EndOfTurn with { FinishReason = "stop" }, MessageRole.Assistant, [ContentPart.OutputText.Of("Paris 21C, Rome 25C.")]),
        new MessageItem("msg_8", 8, ItemStatus.Completed, At, null, MessageRole.User, [new ContentPart.InputText("And this?"), new ContentPart.InputImage("data:image/png;base64,AAA", "auto")]),
        new MessageItem("msg_9", 9, ItemStatus.Incomplete, At, null, MessageRole.Assistant, []),
        new MessageItem("msg_10", 10, ItemStatus.Completed, At, null, MessageRole.Assistant, [ContentPart.OutputText.Of("Let me look.")]),
        new FunctionCallItem("fc_11", 11, ItemStatus.Completed, At, null, "call_3", "describe", "{}"),
    ];

    /// <summary>
    /// The upstream form as a conversation would keep it, taking items in at the given points: at each,
    /// the settled messages are kept (with their JSON), and the unsettled items wait to be made again with
    /// what follows.
    /// </summary>
    private static (UpstreamHistory Prepared, ImmutableArray<Item> Unprepared) Kept(ImmutableArray<Item> items, IEnumerable<int> takenAt)
    {
        var messages = ImmutableArray.CreateBuilder<UpstreamMessage>();
        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>();
        var covered = 0;
        foreach (var upTo in takenAt.Where(point => point <= items.Length).Order().Append(items.Length))
        {
            var run = ChatRequestBuilder.ForUpstream(items.AsSpan()[covered..upTo], leadingComma: messages.Count > 0);
            messages.AddRange(run.Messages[..run.SettledMessages]);
            json.AddRange(run.Json[..run.SettledMessages]);
            covered += run.SettledItems;
        }

        return (new UpstreamHistory(messages.ToImmutable(), json.ToImmutable()), items[covered..]);
    }

    public static TheoryData<int, string> Splits()
    {
        var data = new TheoryData<int, string>();
        for (var context = 0; context <= History.Length; context++)
        {
            foreach (var instructions in (string[])["", "Be brief."])
            {
                data.Add(context, instructions);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void A_request_from_the_kept_form_is_the_request_from_the_items(int contextLength, string instructions)
    {
        var settings = ResponseSettings.Default with { Instructions = instructions, Temperature = 0.3 };
        var context = History[..contextLength];
        var input = History[contextLength..];
        var expected = ChatRequestBuilder.Build("m", settings, context.AsSpan(), input.AsSpan(), stream: true);

        foreach (var takenAt in (int[][])[[], [contextLength], [1, 3, contextLength], [.. Enumerable.Range(0, contextLength + 1)]])
        {
            var (prepared, unprepared) = Kept(context, takenAt);
            var actual = ChatRequestBuilder.Build("m", settings, prepared, unprepared.AsSpan(), input.AsSpan(), stream: true);

            Assert.Equal<UpstreamMessage>(expected.Messages, actual.Messages);
            Assert.NotNull(actual.MessagesJson);
            Assert.Equal(Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(expected)), Encoding.UTF8.GetString(UpstreamRequestJson.ToUtf8Bytes(actual)));
        }
    }

    [Fact]
    public void A_run_ending_in_calls_or_a_message_mid_turn_leaves_that_message_open()
    {
        var endsInCalls = ChatRequestBuilder.ForUpstream(History.AsSpan()[..4], leadingComma: false);
        var endsInMessage = ChatRequestBuilder.ForUpstream(History.AsSpan()[..10], leadingComma: false);
        var endsInOutput = ChatRequestBuilder.ForUpstream(History.AsSpan()[..6], leadingComma: false);

        Assert.Equal((2, 1, 1), (endsInCalls.Messages.Length, endsInCalls.SettledMessages, endsInCalls.SettledItems));
        Assert.Equal((7, 6, 9), (endsInMessage.Messages.Length, endsInMessage.SettledMessages, endsInMessage.SettledItems));
        Assert.Equal((4, 4, 6), (endsInOutput.Messages.Length, endsInOutput.SettledMessages, endsInOutput.SettledItems));
    }

    [Fact]
    public void Each_message_is_one_segment_after_a_comma_but_the_first()
    {
        var run = ChatRequestBuilder.ForUpstream(History.AsSpan()[..6], leadingComma: false);

        Assert.Equal(run.Messages.Length, run.Json.Length);
        Assert.StartsWith("{", Encoding.UTF8.GetString(run.Json[0].Span));
        Assert.All(run.Json[1..], segment => Assert.StartsWith(",{", Encoding.UTF8.GetString(segment.Span)));
        Assert.StartsWith(",{", Encoding.UTF8.GetString(ChatRequestBuilder.ForUpstream(History.AsSpan()[..1], leadingComma: true).Json[0].Span));
    }
}
