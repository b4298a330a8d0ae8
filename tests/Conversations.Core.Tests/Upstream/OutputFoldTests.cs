using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

/// <summary>Stream chunks folded into a turn's output items, and the events a client watching the turn sees, in order.</summary>
public sealed class OutputFoldTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // Counting words is enough to tell an estimate from the upstream's own count.
    private static long Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Ids as a caller's generator hands them out: the prefix and a counter, so each id says which it was.</summary>
    private sealed class Ids
    {
        private int _next;

        public string New(string prefix) => $"{prefix}{++_next}";
    }

    private static ChatCompletionChunk Text(string delta) => new("chatcmpl-real", 1751630000, "gpt-4o-mini-2024-07-18", delta, "", null);

    private static ChatCompletionChunk Refusal(string delta) => Text(delta) with { RefusalDelta = delta };

    private static ChatCompletionChunk Calls(params ToolCallFragment[] fragments) => Text("") with { ToolCalls = [.. fragments] };

    private static ChatCompletionChunk Finish(string reason) => Text("") with { FinishReason = reason };

    private static ChatCompletionChunk Usage(TokenUsage usage) => new("chatcmpl-real", 1751630000, "gpt-4o-mini-2024-07-18", "", "", usage);

    private static (OutputDraft Draft, List<TurnEvent> Events) Fold(Ids ids, params ChatCompletionChunk[] chunks)
    {
        var draft = OutputFold.Start("chatcmpl-placeholder", At, "gpt-4o-mini", firstSequence: 5);
        var events = new List<TurnEvent>();
        foreach (var chunk in chunks)
        {
            (draft, var stepEvents) = OutputFold.Step(draft, chunk, ids.New);
            events.AddRange(stepEvents);
        }

        return (draft, events);
    }

    private static string Describe(TurnEvent e) => e switch
    {
        TurnEvent.ItemAdded { Item: MessageItem m } => $"added {m.Id} {m.Status} [{m.Content.Length}]",
        TurnEvent.ItemAdded { Item: FunctionCallItem c } => $"added {c.Id} {c.Status} {c.CallId} {c.Name} '{c.Arguments}'",
        TurnEvent.Delta d => $"text '{d.Content}'",
        TurnEvent.RefusalDelta r => $"refusal '{r.Text}'",
        TurnEvent.ArgumentsDelta a => $"arguments '{a.Text}'",
        TurnEvent.ItemDone { Item: MessageItem m } => $"done {m.Id} {m.Status} '{m.Text}'",
        TurnEvent.ItemDone { Item: FunctionCallItem c } => $"done {c.Id} {c.Status} {c.CallId} '{c.Arguments}'",
        _ => e.ToString(),
    };

    [Fact]
    public void A_text_stream_announces_one_message_streams_its_text_and_finishes_it()
    {
        var ids = new Ids();
        var (draft, events) = Fold(ids, Text(""), Text("This"), Text(" is"), Text(" a test!"), Finish("stop"), Usage(new TokenUsage(13, 6, 2, 0)));
        var (output, owed) = OutputFold.Finish(draft, ids.New, Words, promptTokensEstimate: 99);

        Assert.Equal(
            ["added msg_1 InProgress [0]", "text 'This'", "text ' is'", "text ' a test!'", "done msg_1 Completed 'This is a test!'"],
            events.Concat(owed).Select(Describe));
        var reply = new ReplyInfo(new TokenUsage(13, 6, 2, 0), "gpt-4o-mini-2024-07-18", "stop", "chatcmpl-real");
        Assert.Equal(
            new MessageItem("msg_1", 5, ItemStatus.Completed, At, reply, MessageRole.Assistant, [ContentPart.OutputText.Of("This is a test!")]),
            Assert.Single(output.Items),
            ItemComparer);
        Assert.Equal(reply, output.Reply);
        Assert.Same(output.Items[0], ((TurnEvent.ItemDone)owed[^1]).Item);
    }

    [Fact]
    public void Text_then_two_tool_calls_make_a_message_and_two_function_calls_each_done_when_the_next_begins()
    {
        var ids = new Ids();
        var (draft, events) = Fold(
            ids,
            Text("Let me check."),
            Calls(new ToolCallFragment(0, "call_A", "get_weather", "")),
            Calls(new ToolCallFragment(0, null, null, "{\"city\":")),
            Calls(new ToolCallFragment(0, null, null, "\"Paris\"}")),
            Calls(new ToolCallFragment(1, "call_B", "get_weather", "{\"city\":\"Rome\"}")),
            Finish("tool_calls"),
            Usage(new TokenUsage(80, 40)));
        var (output, owed) = OutputFold.Finish(draft, ids.New, Words, 0);

        Assert.Equal(
            [
                "added msg_1 InProgress [0]",
                "text 'Let me check.'",
                "done msg_1 Completed 'Let me check.'",
                "added fc_2 InProgress call_A get_weather ''",
                "arguments '{\"city\":'",
                "arguments '\"Paris\"}'",
                "done fc_2 Completed call_A '{\"city\":\"Paris\"}'",
                "added fc_3 InProgress call_B get_weather ''",
                "arguments '{\"city\":\"Rome\"}'",
                "done fc_3 Completed call_B '{\"city\":\"Rome\"}'",
            ],
            events.Concat(owed).Select(Describe));
        Assert.Equal(["msg_1", "fc_2", "fc_3"], output.Items.Select(i => i.Id));
        Assert.Equal([5L, 6L, 7L], output.Items.Select(i => i.Sequence));
        Assert.All(output.Items, item => Assert.Equal(ItemStatus.Completed, item.Status));
        Assert.Equal([null, null, output.Reply], output.Items.Select(i => i.Reply));
        Assert.Equal("tool_calls", output.Reply.FinishReason);
        var second = Assert.IsType<FunctionCallItem>(output.Items[2]);
        Assert.Equal(("call_B", "get_weather", "{\"city\":\"Rome\"}"), (second.CallId, second.Name, second.Arguments));
    }

    [Fact]
    public void A_refusal_is_a_message_whose_content_is_the_refusal()
    {
        var ids = new Ids();
        var (draft, events) = Fold(ids, Text(""), Refusal("I can't"), Refusal(" help with that."), Finish("stop"));
        var (output, owed) = OutputFold.Finish(draft, ids.New, Words, 7);

        Assert.Equal(
            ["added msg_1 InProgress [0]", "refusal 'I can't'", "refusal ' help with that.'", "done msg_1 Completed ''"],
            events.Concat(owed).Select(Describe));
        var message = Assert.IsType<MessageItem>(Assert.Single(output.Items));
        Assert.Equal<ContentPart>([new ContentPart.Refusal("I can't help with that.")], message.Content);
        Assert.Equal(new TokenUsage(7, 5), output.Reply.Usage);
    }

    [Fact]
    public void A_stream_cut_in_the_middle_of_a_tool_call_keeps_the_call_as_incomplete_and_estimates_the_usage()
    {
        var ids = new Ids();
        var (draft, events) = Fold(
            ids,
            Calls(new ToolCallFragment(0, "call_A", "lookup", "{\"q\":")),
            Calls(new ToolCallFragment(0, null, null, "\"cats")));
        var (output, owed) = OutputFold.Finish(draft, ids.New, Words, promptTokensEstimate: 30);

        Assert.Equal(
            ["added fc_1 InProgress call_A lookup ''", "arguments '{\"q\":'", "arguments '\"cats'", "done fc_1 Incomplete call_A '{\"q\":\"cats'"],
            events.Concat(owed).Select(Describe));
        var call = Assert.IsType<FunctionCallItem>(Assert.Single(output.Items));
        Assert.Equal(ItemStatus.Incomplete, call.Status);
        Assert.False(OutputFold.IsFinished(draft));
        Assert.Equal(new ReplyInfo(new TokenUsage(30, 2), "gpt-4o-mini-2024-07-18", "", "chatcmpl-real"), call.Reply);
    }

    [Fact]
    public void A_message_cut_short_keeps_the_text_that_arrived_as_incomplete_and_is_billed_by_estimate()
    {
        var ids = new Ids();
        var (draft, events) = Fold(ids, Text("Once"), Text(" upon"), Text(" a"));
        var (output, owed) = OutputFold.Finish(draft, ids.New, Words, promptTokensEstimate: 42);

        Assert.Equal(["done msg_1 Incomplete 'Once upon a'"], owed.Select(Describe));
        var message = Assert.IsType<MessageItem>(Assert.Single(output.Items));
        Assert.Equal((ItemStatus.Incomplete, "Once upon a"), (message.Status, message.Text));
        Assert.Equal(new ReplyInfo(new TokenUsage(42, 3), "gpt-4o-mini-2024-07-18", "", "chatcmpl-real"), message.Reply);
        Assert.False(OutputFold.IsFinished(draft));
    }

    [Fact]
    public void A_message_cut_by_the_length_limit_is_incomplete_and_the_turn_incomplete_for_max_output_tokens()
    {
        var ids = new Ids();
        var (draft, _) = Fold(ids, Text("Once upon"), Finish("length"));
        var (output, _) = OutputFold.Finish(draft, ids.New, Words, 0);

        Assert.Equal(ItemStatus.Incomplete, Assert.Single(output.Items).Status);
        Assert.Equal(new TurnOutcome(ResponseStatus.Incomplete, "max_output_tokens"), OutputFold.Outcome(output.Reply.FinishReason));
    }

    [Theory]
    [InlineData("stop", ResponseStatus.Completed, null)]
    [InlineData("tool_calls", ResponseStatus.Completed, null)]
    [InlineData("length", ResponseStatus.Incomplete, "max_output_tokens")]
    [InlineData("content_filter", ResponseStatus.Incomplete, "content_filter")]
    [InlineData("function_call", ResponseStatus.Completed, null)]
    public void How_a_finished_turn_ended_follows_the_finish_reason(string finishReason, ResponseStatus status, string? reason)
    {
        Assert.Equal(new TurnOutcome(status, reason), OutputFold.Outcome(finishReason));
    }

    [Fact]
    public void Item_ids_and_made_up_call_ids_come_from_the_callers_generator()
    {
        var issued = new List<string>();
        string NewId(string prefix)
        {
            var id = $"{prefix}{Guid.NewGuid():N}";
            issued.Add(id);
            return id;
        }

        var draft = OutputFold.Start("c", At, "m", 1);
        (draft, _) = OutputFold.Step(draft, Text("Hi"), NewId);
        (draft, _) = OutputFold.Step(draft, Calls(new ToolCallFragment(0, null, "f", "{}")), NewId);
        var (output, _) = OutputFold.Finish(draft, NewId, Words, 0);

        Assert.Equal(3, issued.Count);
        Assert.Equal([issued[0], issued[1]], output.Items.Select(i => i.Id));
        Assert.StartsWith("msg_", issued[0]);
        Assert.StartsWith("fc_", issued[1]);
        Assert.Equal(issued[2], ((FunctionCallItem)output.Items[1]).CallId);
        Assert.StartsWith("call_", issued[2]);
    }

    [Fact]
    public void A_stream_cut_before_anything_arrived_still_has_one_empty_incomplete_message_holding_the_reply_info()
    {
        var ids = new Ids();
        var (draft, events) = Fold(ids, Text(""));
        var (output, owed) = OutputFold.Finish(draft, ids.New, Words, 17);

        Assert.Empty(events);
        Assert.Equal(["added msg_1 InProgress [0]", "done msg_1 Incomplete ''"], owed.Select(Describe));
        var message = Assert.IsType<MessageItem>(Assert.Single(output.Items));
        Assert.Empty(message.Content);
        Assert.Equal(new TokenUsage(17, 0), message.Reply!.Usage);
    }

    [Fact]
    public void A_finished_answer_with_nothing_in_it_is_one_empty_completed_message()
    {
        var ids = new Ids();
        var (draft, _) = Fold(ids, Text(""), Finish("stop"));

        Assert.Equal(ItemStatus.Completed, Assert.Single(OutputFold.Finish(draft, ids.New, Words, 0).Output.Items).Status);
    }

    [Fact]
    public void Text_after_a_tool_call_opens_a_new_message()
    {
        var ids = new Ids();
        var (draft, events) = Fold(ids, Calls(new ToolCallFragment(0, "call_A", "f", "{}")), Text("Done."), Finish("stop"));
        var (output, _) = OutputFold.Finish(draft, ids.New, Words, 0);

        Assert.Equal(["added fc_1 InProgress call_A f ''", "arguments '{}'", "done fc_1 Completed call_A '{}'", "added msg_2 InProgress [0]", "text 'Done.'"], events.Select(Describe));
        Assert.Equal(["fc_1", "msg_2"], output.Items.Select(i => i.Id));
    }

    [Fact]
    public void A_piece_for_a_call_already_done_still_joins_its_arguments()
    {
        var ids = new Ids();
        var (draft, events) = Fold(
            ids,
            Calls(new ToolCallFragment(0, "call_A", "f", "{\"a\":")),
            Calls(new ToolCallFragment(1, "call_B", "g", "{}")),
            Calls(new ToolCallFragment(0, null, null, "1}")),
            Finish("tool_calls"));
        var (output, _) = OutputFold.Finish(draft, ids.New, Words, 0);

        Assert.DoesNotContain("arguments '1}'", events.Select(Describe));
        Assert.Equal("{\"a\":1}", ((FunctionCallItem)output.Items[0]).Arguments);
    }

    [Fact]
    public void A_name_repeated_in_every_piece_is_taken_once()
    {
        var ids = new Ids();
        var (draft, _) = Fold(ids, Calls(new ToolCallFragment(0, "call_A", "lookup", "{")), Calls(new ToolCallFragment(0, "call_A", "lookup", "}")), Finish("tool_calls"));

        var call = (FunctionCallItem)OutputFold.Finish(draft, ids.New, Words, 0).Output.Items[0];

        Assert.Equal(("call_A", "lookup", "{}"), (call.CallId, call.Name, call.Arguments));
    }

    [Fact]
    public void The_upstreams_id_and_model_replace_the_placeholders()
    {
        var ids = new Ids();
        var (draft, _) = Fold(ids, Text("Hi"));

        var reply = OutputFold.Finish(draft, ids.New, Words, 0).Output.Reply;

        Assert.Equal(("chatcmpl-real", "gpt-4o-mini-2024-07-18"), (reply.CompletionId, reply.Model));
    }

    [Fact]
    public void Placeholders_stay_until_the_upstream_sends_its_own_and_a_chunk_without_them_keeps_what_came_before()
    {
        var ids = new Ids();
        var draft = OutputFold.Start("chatcmpl-placeholder", At, "gpt-4o-mini", 1);
        var afterNone = OutputFold.Step(draft, new ChatCompletionChunk("", 0, "", "Hi", "", null), ids.New).Draft;
        var afterReal = OutputFold.Step(afterNone, Text("!"), ids.New).Draft;
        var afterUsage = OutputFold.Step(afterReal, new ChatCompletionChunk("", 0, "", "", "stop", new TokenUsage(3, 2)), ids.New).Draft;

        Assert.Equal(("chatcmpl-placeholder", At.ToUnixTimeSeconds(), "gpt-4o-mini"), (afterNone.CompletionId, afterNone.Created, afterNone.Model));
        Assert.Equal(("chatcmpl-real", 1751630000L, "gpt-4o-mini-2024-07-18"), (afterUsage.CompletionId, afterUsage.Created, afterUsage.Model));
        var output = OutputFold.Finish(afterUsage, ids.New, Words, 0).Output;
        Assert.Equal("Hi!", ((MessageItem)Assert.Single(output.Items)).Text);
        Assert.Equal(new ReplyInfo(new TokenUsage(3, 2), "gpt-4o-mini-2024-07-18", "stop", "chatcmpl-real"), output.Reply);
    }

    [Fact]
    public void A_single_shot_completion_gives_the_items_its_stream_would()
    {
        var completion = new ChatCompletion("chatcmpl-1", 5, "gpt-4o", "Checking.", "tool_calls", new TokenUsage(8, 2))
        {
            ToolCalls = [new UpstreamToolCall("call_A", "f", "{\"x\":1}"), new UpstreamToolCall("call_B", "g", "{}")],
        };

        var single = OutputFold.FromCompletion(completion, At, 3, new Ids().New, Words, 0);
        var streamedIds = new Ids();
        ChatCompletionChunk[] chunks =
        [
            Text("Checking."),
            Calls(new ToolCallFragment(0, "call_A", "f", "{\"x\":1}")),
            Calls(new ToolCallFragment(1, "call_B", "g", "{}")),
            Finish("tool_calls"),
            Usage(new TokenUsage(8, 2)),
        ];
        var (draft, _) = Fold(streamedIds, [.. chunks.Select(chunk => chunk with { Id = "chatcmpl-1", Model = "gpt-4o" })]);
        var streamed = OutputFold.Finish(draft with { FirstSequence = 3 }, streamedIds.New, Words, 0).Output;

        Assert.Equal(streamed.Items.Length, single.Items.Length);
        for (var i = 0; i < single.Items.Length; i++)
        {
            Assert.Equal(streamed.Items[i], single.Items[i], ItemComparer);
        }

        Assert.Equal(new ReplyInfo(new TokenUsage(8, 2), "gpt-4o", "tool_calls", "chatcmpl-1"), single.Reply);
    }

    [Fact]
    public void A_single_shot_refusal_is_a_refusal_part_not_text()
    {
        var completion = new ChatCompletion("c", 1, "m", "No.", "stop", new TokenUsage(1, 1)) { Refusal = "No." };

        var message = (MessageItem)Assert.Single(OutputFold.FromCompletion(completion, At, 1, new Ids().New, Words, 0).Items);

        Assert.Equal<ContentPart>([new ContentPart.Refusal("No.")], message.Content);
    }

    [Fact]
    public void A_single_shot_completion_without_a_finish_reason_is_still_complete()
    {
        var completion = new ChatCompletion("c", 1, "m", "Hi", "", new TokenUsage(1, 1));

        Assert.Equal(ItemStatus.Completed, Assert.Single(OutputFold.FromCompletion(completion, At, 1, new Ids().New, Words, 0).Items).Status);
    }

    [Fact]
    public void A_long_stream_is_joined_in_order()
    {
        var pieces = Enumerable.Range(0, 5000).Select(i => $"{i} ").ToArray();
        var ids = new Ids();

        var (draft, events) = Fold(ids, [.. pieces.Select(Text)]);

        Assert.Equal(string.Concat(pieces), ((MessageItem)OutputFold.Finish(draft, ids.New, Words, 0).Output.Items[0]).Text);
        Assert.Equal(pieces.Length + 1, events.Count);
    }

    /// <summary>Items compared member by member, their content part by part (records compare arrays by reference).</summary>
    private static readonly IEqualityComparer<Item> ItemComparer = EqualityComparer<Item>.Create(
        (a, b) => a switch
        {
            MessageItem m when b is MessageItem n => m with { Content = [] } == n with { Content = [] } && m.Content.SequenceEqual(n.Content),
            _ => Equals(a, b),
        },
        item => item.Id.GetHashCode(StringComparison.Ordinal));
}
