using System.Text.Json;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Core.Wire;
using Conversations.Core.Wire.Responses;
using static Conversations.Core.Tests.Wire.Responses.ResponseSamples;
using static Conversations.Core.Tests.Wire.Responses.StreamRun;

namespace Conversations.Core.Tests.Wire.Responses;

public class ResponseStreamTests
{
    private static readonly MessageItem Hello = AssistantText("Hello there!");
    private static readonly FunctionCallItem Weather = Call("fc_1", "call_1", "get_weather", """{"city":"Paris"}""");
    private static readonly FunctionCallItem Time = Call("fc_2", "call_2", "get_time", """{"zone":"CET"}""");

    private static TurnEvent[] TextTurn(MessageItem message, params string[] deltas) =>
    [
        new TurnEvent.Started("chatcmpl-1", Created, "gpt-4o-mini-2024-07-18"),
        new TurnEvent.ItemAdded(message with { Status = ItemStatus.InProgress, Content = [] }),
        .. deltas.Select(d => new TurnEvent.Delta(d)),
        new TurnEvent.ItemDone(message),
    ];

    private static TurnEvent[] CallTurn(FunctionCallItem call, params string[] deltas) =>
    [
        new TurnEvent.ItemAdded(call with { Status = ItemStatus.InProgress, Arguments = "" }),
        .. deltas.Select(d => new TurnEvent.ArgumentsDelta(d)),
        new TurnEvent.ItemDone(call),
    ];

    [Fact]
    public void A_text_reply_streams_in_openais_order()
    {
        var events = Finished(Started(), TextTurn(Hello, "Hello", " there", "!"), CompletedWith(Hello));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed",
            ],
            Types(events));
        IsSound(events);
    }

    [Fact]
    public void A_text_reply_streams_exactly_these_item_events()
    {
        var events = Finished(Started(), TextTurn(Hello, "Hello", " there!"), CompletedWith(Hello));

        Assert.Equal(
            [
                """{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"type":"message","id":"msg_out","role":"assistant","status":"in_progress","content":[]}}""",
                """{"type":"response.content_part.added","sequence_number":3,"item_id":"msg_out","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[],"logprobs":[]}}""",
                """{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_out","output_index":0,"content_index":0,"delta":"Hello","logprobs":[]}""",
                """{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_out","output_index":0,"content_index":0,"delta":" there!","logprobs":[]}""",
                """{"type":"response.output_text.done","sequence_number":6,"item_id":"msg_out","output_index":0,"content_index":0,"text":"Hello there!","logprobs":[]}""",
                """{"type":"response.content_part.done","sequence_number":7,"item_id":"msg_out","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Hello there!","annotations":[],"logprobs":[]}}""",
                """{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":{"type":"message","id":"msg_out","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hello there!","annotations":[],"logprobs":[]}]}}""",
            ],
            events.Skip(2).SkipLast(1).Select(JsonOf));
    }

    [Fact]
    public void The_lifecycle_events_carry_the_response_as_it_starts_and_as_it_ends()
    {
        var final = CompletedWith(Hello);
        var events = Finished(Started(), TextTurn(Hello, "Hello there!"), final);

        foreach (var start in events.Take(2))
        {
            var response = JsonDocument.Parse(JsonOf(start)).RootElement.GetProperty("response");
            Assert.Equal("in_progress", response.GetProperty("status").GetString());
            Assert.Equal(0, response.GetProperty("output").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, response.GetProperty("usage").ValueKind);
        }

        var completed = Assert.IsType<ResponseCompletedEvent>(events[^1]);
        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(WireJson.Serialize(ResponseWire.Response(final))),
            JsonDocument.Parse(JsonOf(completed)).RootElement.GetProperty("response").GetRawText());
    }

    [Fact]
    public void Sequence_numbers_run_from_zero_without_gaps()
    {
        var events = Finished(Started(), [.. TextTurn(Hello, "a", "b"), .. CallTurn(Weather, "{}")], CompletedWith(Hello, Weather));

        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.SequenceNumber));
    }

    [Fact]
    public void Text_then_two_function_calls_stream_as_three_items_in_order()
    {
        var message = AssistantText("Let me check.");
        var turn = TextTurn(message, "Let me", " check.")
            .Concat(CallTurn(Weather, """{"city":""", "\"Paris\"}"))
            .Concat(CallTurn(Time, """{"zone":"CET"}"""));

        var events = Finished(Started(), turn, CompletedWith(message, Weather, Time));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            Types(events));
        Assert.Equal([0, 1, 2], events.OfType<OutputItemAddedEvent>().Select(e => e.OutputIndex));
        Assert.Equal(
            """{"type":"response.output_item.added","sequence_number":9,"output_index":1,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"","status":"in_progress"}}""",
            JsonOf(events[9]));
        Assert.Equal(
            """{"type":"response.function_call_arguments.delta","sequence_number":10,"item_id":"fc_1","output_index":1,"delta":"{\"city\":"}""",
            JsonOf(events[10]));
        Assert.Equal(
            """{"type":"response.function_call_arguments.done","sequence_number":12,"item_id":"fc_1","output_index":1,"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}""",
            JsonOf(events[12]));
        Assert.Equal(
            """{"type":"response.output_item.done","sequence_number":13,"output_index":1,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"}}""",
            JsonOf(events[13]));
        IsSound(events);
    }

    [Fact]
    public void A_refusal_streams_as_a_refusal_part()
    {
        var refusal = AssistantRefusal("I can't help with that.");
        TurnEvent[] turn =
        [
            new TurnEvent.ItemAdded(refusal with { Status = ItemStatus.InProgress, Content = [] }),
            new TurnEvent.RefusalDelta("I can't"),
            new TurnEvent.RefusalDelta(" help with that."),
            new TurnEvent.ItemDone(refusal),
        ];

        var events = Finished(Started(), turn, CompletedWith(refusal));

        Assert.Equal(
            [
                """{"type":"response.content_part.added","sequence_number":3,"item_id":"msg_out","output_index":0,"content_index":0,"part":{"type":"refusal","refusal":""}}""",
                """{"type":"response.refusal.delta","sequence_number":4,"item_id":"msg_out","output_index":0,"content_index":0,"delta":"I can't"}""",
                """{"type":"response.refusal.delta","sequence_number":5,"item_id":"msg_out","output_index":0,"content_index":0,"delta":" help with that."}""",
                """{"type":"response.refusal.done","sequence_number":6,"item_id":"msg_out","output_index":0,"content_index":0,"refusal":"I can't help with that."}""",
                """{"type":"response.content_part.done","sequence_number":7,"item_id":"msg_out","output_index":0,"content_index":0,"part":{"type":"refusal","refusal":"I can't help with that."}}""",
            ],
            events.Skip(3).Take(5).Select(JsonOf));
        IsSound(events);
    }

    [Fact]
    public void Text_then_a_refusal_in_one_message_are_two_parts()
    {
        var message = new MessageItem("msg_out", 2, ItemStatus.Completed, Created, null, MessageRole.Assistant, [ContentPart.OutputText.Of("Well,"), new ContentPart.Refusal("no.")]);
        TurnEvent[] turn =
        [
            new TurnEvent.ItemAdded(message with { Content = [] }),
            new TurnEvent.Delta("Well,"),
            new TurnEvent.RefusalDelta("no."),
            new TurnEvent.ItemDone(message),
        ];

        var events = Finished(Started(), turn, CompletedWith(message));

        Assert.Equal([0, 1], events.OfType<ContentPartAddedEvent>().Select(e => e.ContentIndex));
        Assert.Equal([0, 1], events.OfType<ContentPartDoneEvent>().Select(e => e.ContentIndex));
        IsSound(events);
    }

    [Fact]
    public void An_upstream_failure_mid_stream_ends_with_an_error_event_then_response_failed()
    {
        var error = ApiErrors.From(new UpstreamError.StreamFailed("connection reset", null));
        TurnEvent[] turn =
        [
            new TurnEvent.Started("chatcmpl-1", Created, "gpt-4o-mini-2024-07-18"),
            new TurnEvent.ItemAdded(Hello with { Status = ItemStatus.InProgress, Content = [] }),
            new TurnEvent.Delta("Hello"),
        ];

        var events = Fold(Started(), turn, state => ResponseStream.Fail(state, null, error));

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "error", "response.failed",
            ],
            Types(events));
        Assert.Equal(
            """{"type":"error","sequence_number":8,"code":"upstream_stream_error","message":"The model provider's stream failed: connection reset","param":null}""",
            JsonOf(events[8]));
        var failed = JsonDocument.Parse(JsonOf(events[9])).RootElement.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("""{"code":"server_error","message":"The model provider's stream failed: connection reset"}""", failed.GetProperty("error").GetRawText());
        Assert.Equal("gpt-4o-mini-2024-07-18", failed.GetProperty("model").GetString());
        var kept = failed.GetProperty("output")[0];
        Assert.Equal(("msg_out", "incomplete", "Hello"), (kept.GetProperty("id").GetString(), kept.GetProperty("status").GetString(), kept.GetProperty("content")[0].GetProperty("text").GetString()));
        IsSound(events);
    }

    [Fact]
    public void A_failure_reported_with_the_stored_response_ends_the_open_item_in_its_stored_form()
    {
        var kept = AssistantText("Hello", status: ItemStatus.Incomplete);
        var stored = Started() with { Status = ResponseStatus.Failed, Output = [kept], Error = new ResponseFailure("server_error", "Stored reason.") };

        var events = Fold(Started(), TextTurn(kept, "Hel").SkipLast(1), state => ResponseStream.Fail(state, stored, ApiErrors.ShuttingDown()));

        var delta = events.OfType<OutputTextDeltaEvent>().Select(e => e.Delta);
        Assert.Equal(["Hel", "lo"], delta);
        var failed = Assert.IsType<ResponseFailedEvent>(events[^1]);
        Assert.Equal(new ResponseErrorObject("server_error", "Stored reason."), failed.Response.Error);
        Assert.Equal("server_shutting_down", Assert.IsType<ResponseErrorEvent>(events[^2]).Code);
        IsSound(events);
    }

    [Fact]
    public void A_failure_before_any_output_fails_with_an_empty_output()
    {
        var events = Fold(Started(), [], state => ResponseStream.Fail(state, null, ApiErrors.From(new UpstreamError.Timeout("60 s"))));

        Assert.Equal(["response.created", "response.in_progress", "error", "response.failed"], Types(events));
        Assert.Empty(Assert.IsType<ResponseFailedEvent>(events[^1]).Response.Output);
        IsSound(events);
    }

    [Fact]
    public void A_rate_limited_failure_fails_the_response_as_rate_limit_exceeded()
    {
        var events = Fold(Started(), [], state => ResponseStream.Fail(state, null, ApiErrors.From(new UpstreamError.RateLimited("slow down", null))));

        Assert.Equal("rate_limit_exceeded", Assert.IsType<ResponseFailedEvent>(events[^1]).Response.Error!.Code);
        Assert.Equal("rate_limit_exceeded", Assert.IsType<ResponseErrorEvent>(events[^2]).Code);
    }

    [Fact]
    public void A_reply_cut_by_the_token_limit_ends_with_response_incomplete()
    {
        var cut = AssistantText("Once upon", status: ItemStatus.Incomplete);
        var final = CompletedWith(cut) with { Status = ResponseStatus.Incomplete, CompletedAt = null, IncompleteReason = "max_output_tokens" };

        var events = Finished(Started(), TextTurn(cut, "Once", " upon"), final);

        var incomplete = Assert.IsType<ResponseIncompleteEvent>(events[^1]);
        Assert.Equal(new IncompleteDetailsObject("max_output_tokens"), incomplete.Response.IncompleteDetails);
        Assert.Equal("incomplete", incomplete.Response.Status);
        IsSound(events);
    }

    [Fact]
    public void A_cancelled_response_ends_with_response_incomplete_and_keeps_its_cancelled_status()
    {
        var final = Started(background: true) with { Status = ResponseStatus.Cancelled, Output = [AssistantText("Par", status: ItemStatus.Incomplete)] };

        var events = Finished(Started(background: true), TextTurn(AssistantText("Par", status: ItemStatus.Incomplete), "Par"), final);

        Assert.Equal("cancelled", Assert.IsType<ResponseIncompleteEvent>(events[^1]).Response.Status);
        IsSound(events);
    }

    [Fact]
    public void A_failed_response_finished_from_its_record_ends_with_response_failed_alone()
    {
        var final = Started() with { Status = ResponseStatus.Failed, Error = new ResponseFailure("server_error", "x") };

        var events = Finished(Started(), [], final);

        Assert.Equal(["response.created", "response.in_progress", "response.failed"], Types(events));
    }

    [Fact]
    public void A_background_response_is_created_queued_then_in_progress()
    {
        var events = ResponseStream.Start(Started(background: true)).Events;

        Assert.Equal(["queued", "in_progress"], events.Select(e => ((dynamic)e).Response.Status).Cast<string>());
    }

    [Fact]
    public void The_start_shows_no_output_usage_or_outcome_whatever_the_record_holds()
    {
        var finished = CompletedWith(Hello) with { Error = new ResponseFailure("server_error", "x"), IncompleteReason = "content_filter" };

        var created = Assert.IsType<ResponseCreatedEvent>(ResponseStream.Start(finished).Events[0]).Response;

        Assert.Equal(("in_progress", 0, null, null, null, null), (created.Status, created.Output.Count, created.Usage, created.Error, created.IncompleteDetails, created.CompletedAt));
    }

    [Theory]
    [InlineData(ResponseStatus.Queued)]
    [InlineData(ResponseStatus.InProgress)]
    public void Finishing_a_response_that_has_not_finished_is_refused(ResponseStatus status)
    {
        var state = ResponseStream.Start(Started()).State;

        Assert.Throws<ArgumentException>(() => ResponseStream.Finish(state, Started() with { Status = status }));
    }

    [Fact]
    public void Empty_deltas_send_nothing()
    {
        var events = Finished(Started(), TextTurn(Hello, "", "Hello there!", ""), CompletedWith(Hello));

        Assert.Single(events.OfType<OutputTextDeltaEvent>());
        IsSound(events);
    }

    [Fact]
    public void The_same_turn_always_gives_the_same_stream()
    {
        var turn = TextTurn(Hello, "Hello", " there!").Concat(CallTurn(Weather, "{\"city\":\"Paris\"}")).ToArray();

        var first = Finished(Started(), turn, CompletedWith(Hello, Weather)).Select(JsonOf);
        var second = Finished(Started(), turn, CompletedWith(Hello, Weather)).Select(JsonOf);

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_replay_streams_each_item_whole_with_one_delta()
    {
        var final = CompletedWith(Hello, Weather);

        var replay = ResponseStream.Replay(final);

        var live = Finished(Started(), TextTurn(Hello, "Hello there!").Skip(1).Concat(CallTurn(Weather, """{"city":"Paris"}""")), final);
        Assert.Equal(live.Select(JsonOf), replay.Select(JsonOf));
        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            Types(replay));
        IsSound(replay);
    }

    [Fact]
    public void A_replay_of_a_response_that_has_not_finished_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ResponseStream.Replay(Started()));
    }

    [Fact]
    public void Text_the_final_item_has_beyond_the_deltas_is_sent_as_one_more_delta()
    {
        var events = Finished(Started(), TextTurn(Hello, "Hel"), CompletedWith(Hello));

        Assert.Equal(["Hel", "lo there!"], events.OfType<OutputTextDeltaEvent>().Select(e => e.Delta));
        IsSound(events);
    }

    [Fact]
    public void Items_of_the_final_response_that_were_never_streamed_are_streamed_whole_before_the_end()
    {
        var events = Finished(Started(), TextTurn(Hello, "Hello there!"), CompletedWith(Hello, Weather, Time));

        Assert.Equal(["msg_out", "fc_1", "fc_2"], events.OfType<OutputItemDoneEvent>().Select(e => e.Item.Id));
        IsSound(events);
    }

    [Fact]
    public void An_item_left_open_at_the_end_is_done_in_its_final_form()
    {
        var events = Finished(Started(), TextTurn(Hello, "Hello").SkipLast(1), CompletedWith(Hello));

        Assert.Equal("Hello there!", Assert.IsType<OutputTextDoneEvent>(events.Single(e => e is OutputTextDoneEvent)).Text);
        IsSound(events);
    }

    [Fact]
    public void Deltas_with_no_message_open_are_left_out()
    {
        TurnEvent[] turn = [new TurnEvent.Delta("stray"), new TurnEvent.ArgumentsDelta("{}"), new TurnEvent.RefusalDelta("no"), .. TextTurn(Hello, "Hello there!")];

        var events = Finished(Started(), turn, CompletedWith(Hello));

        Assert.Equal(["Hello there!"], events.OfType<OutputTextDeltaEvent>().Select(e => e.Delta));
        IsSound(events);
    }

    [Fact]
    public void Arguments_deltas_into_a_message_are_left_out()
    {
        TurnEvent[] turn = [new TurnEvent.ItemAdded(Hello with { Content = [] }), new TurnEvent.ArgumentsDelta("{}"), new TurnEvent.Delta("Hello there!"), new TurnEvent.ItemDone(Hello)];

        var events = Finished(Started(), turn, CompletedWith(Hello));

        Assert.Empty(events.OfType<FunctionCallArgumentsDeltaEvent>());
        IsSound(events);
    }

    [Fact]
    public void A_new_item_while_one_is_open_first_ends_the_open_one_as_incomplete()
    {
        TurnEvent[] turn = [new TurnEvent.ItemAdded(Hello with { Content = [] }), new TurnEvent.Delta("Hel"), .. CallTurn(Weather, """{"city":"Paris"}""")];

        var events = Fold(Started(), turn, state => ResponseStream.Fail(state, null, ApiErrors.ShuttingDown()));

        var first = Assert.IsType<MessageItemObject>(events.OfType<OutputItemDoneEvent>().First().Item);
        Assert.Equal(("msg_out", "incomplete"), (first.Id, first.Status));
        IsSound(events);
    }

    [Fact]
    public void A_second_item_with_the_same_id_is_left_out()
    {
        TurnEvent[] turn = [.. TextTurn(Hello, "Hello there!"), .. TextTurn(Hello, "again")];

        var events = Finished(Started(), turn, CompletedWith(Hello));

        Assert.Single(events.OfType<OutputItemAddedEvent>());
        IsSound(events);
    }

    [Fact]
    public void Any_order_of_turn_events_gives_a_stream_the_sdks_accept()
    {
        MessageItem[] messages = [AssistantText("Hi", "msg_a"), AssistantRefusal("No", "msg_b"), AssistantText("Long text here", "msg_c", ItemStatus.Incomplete)];
        FunctionCallItem[] calls = [Call("fc_a", "call_a", "f", "{\"a\":1}"), Call("fc_b", "call_b", "g", "")];
        Item[] items = [.. messages, .. calls];
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var turn = Enumerable.Range(0, random.Next(0, 14)).Select(_ => RandomEvent(random, items)).ToList();
            var final = CompletedWith([.. items.Where(_ => random.Next(3) > 0)]);
            var events = random.Next(4) == 0
                ? Fold(Started(), turn, state => ResponseStream.Fail(state, random.Next(2) == 0 ? null : final with { Status = ResponseStatus.Failed }, ApiErrors.ShuttingDown()))
                : Finished(Started(), turn, final);

            var broken = NodeStreamRules.Check(events, consistent: false);
            Assert.True(broken.Count == 0, $"seed {seed}: {string.Join("; ", broken)}\n{string.Join("\n", turn)}");
        }
    }

    [Fact]
    public void A_running_response_so_far_has_the_items_done_and_the_one_being_streamed_as_far_as_it_got()
    {
        var state = ResponseStream.Start(Started(background: true)).State;
        foreach (var turnEvent in (TurnEvent[])[.. CallTurn(Weather, "{\"city\"", ":\"Paris\"}"), .. TextTurn(Hello, "Hello", " the").SkipLast(1)])
        {
            state = ResponseStream.Step(state, turnEvent).State;
        }

        var soFar = ResponseStream.SoFar(state);

        Assert.Equal(ResponseStatus.InProgress, soFar.Status);
        Assert.Equal([Weather.Id, Hello.Id], soFar.Output.Select(item => item.Id));
        Assert.Equal(Weather.Arguments, Assert.IsType<FunctionCallItem>(soFar.Output[0]).Arguments);
        var partial = Assert.IsType<MessageItem>(soFar.Output[1]);
        Assert.Equal(ItemStatus.InProgress, partial.Status);
        Assert.Equal("Hello the", ContentParts.Text(partial.Content));
        Assert.Null(soFar.Usage);
    }

    [Fact]
    public void A_response_that_has_streamed_nothing_yet_has_no_output_so_far()
    {
        var soFar = ResponseStream.SoFar(ResponseStream.Start(Started(background: true)).State);

        Assert.Equal(ResponseStatus.InProgress, soFar.Status);
        Assert.Empty(soFar.Output);
    }

    private static TurnEvent RandomEvent(Random random, Item[] items)
    {
        var item = items[random.Next(items.Length)];
        var text = new[] { "", "x", "Hi", "Long ", "{\"a\"", ":1}" }[random.Next(6)];
        return random.Next(6) switch
        {
            0 => new TurnEvent.ItemAdded(item),
            1 => new TurnEvent.Delta(text),
            2 => new TurnEvent.RefusalDelta(text),
            3 => new TurnEvent.ArgumentsDelta(text),
            4 => new TurnEvent.ItemDone(item),
            _ => new TurnEvent.Started("chatcmpl-x", Created, "m"),
        };
    }
}
