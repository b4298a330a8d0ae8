using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Responses;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// A turn's events as the Responses API streams them. Deterministic: the same response and turn events
/// always give the same events with the same sequence numbers.
/// <list type="number">
/// <item><see cref="Start"/>: <c>response.created</c> and <c>response.in_progress</c>.</item>
/// <item><see cref="Step"/> per <see cref="TurnEvent"/>: per output item <c>output_item.added</c>; for a
/// message <c>content_part.added</c> before its first delta, the <c>output_text</c>/<c>refusal</c> deltas,
/// then their <c>.done</c> and <c>content_part.done</c>; for a function call its
/// <c>function_call_arguments</c> deltas and <c>.done</c>; then <c>output_item.done</c>.</item>
/// <item><see cref="Finish"/> or <see cref="Fail"/>: exactly one terminal event.</item>
/// </list>
/// Whatever order the turn's events come in, the stream keeps the rules the SDKs' stream helpers
/// enforce: positions are appended, every event names its item's id, a part is added before its deltas,
/// an item is done with the id and type it was added with, and every item added is done before the
/// terminal event. Events that do not fit (a delta with no message open, a second item with the same id)
/// are left out rather than sent broken; the terminal event carries the full output regardless.
/// </summary>
public static class ResponseStream
{
    private static readonly IReadOnlyList<JsonElement> NoLogprobs = [];

    /// <summary>
    /// The stream's first two events: the response as it starts (<c>queued</c> in the background, else
    /// <c>in_progress</c>), with no output, usage or outcome, whatever the record says.
    /// </summary>
    public static ResponseStreamStep Start(ResponseRecord response)
    {
        var started = response with
        {
            Status = ResponseStatus.InProgress,
            CompletedAt = null,
            Output = [],
            Usage = null,
            Error = null,
            IncompleteReason = null,
        };
        var emit = new Emitter(0);
        emit.Add(n => new ResponseCreatedEvent(n, ResponseWire.Response(response.Background ? started with { Status = ResponseStatus.Queued } : started)));
        emit.Add(n => new ResponseInProgressEvent(n, ResponseWire.Response(started)));
        return emit.Step(new ResponseStreamState(started, 0, [], null));
    }

    /// <summary>
    /// The events for one of the turn's events. <see cref="TurnEvent.Started"/> only names the model;
    /// <see cref="TurnEvent.Completed"/> and <see cref="TurnEvent.Failed"/> give none, since the terminal
    /// event needs the response record: call <see cref="Finish"/> or <see cref="Fail"/>.
    /// </summary>
    public static ResponseStreamStep Step(ResponseStreamState state, TurnEvent turnEvent)
    {
        var emit = new Emitter(state.NextSequence);
        var next = turnEvent switch
        {
            TurnEvent.Started { Model.Length: > 0 } started => state with { Response = state.Response with { Model = started.Model } },
            TurnEvent.ItemAdded added => Add(state, added.Item, emit),
            TurnEvent.Delta delta => Write(state, delta.Content, refusal: false, emit),
            TurnEvent.RefusalDelta refusal => Write(state, refusal.Text, refusal: true, emit),
            TurnEvent.ArgumentsDelta arguments => WriteArguments(state, arguments.Text, emit),
            TurnEvent.ItemDone done => Done(state, done.Item, emit),
            _ => state,
        };
        return emit.Step(next);
    }

    /// <summary>
    /// The end of a response that finished: the item still open is done (in its final form from
    /// <paramref name="response"/>), any output item never streamed is streamed whole, then the one
    /// terminal event by status — <c>response.completed</c>; <c>response.incomplete</c> for incomplete
    /// and for cancelled (stopped early, as incomplete is, and with no error to report; the snapshot
    /// keeps <c>status: "cancelled"</c>); <c>response.failed</c> — carrying the full response.
    /// </summary>
    /// <exception cref="ArgumentException">The response has not finished (queued or in progress).</exception>
    public static ResponseStreamStep Finish(ResponseStreamState state, ResponseRecord response)
    {
        Func<int, ResponseObject, ResponseStreamEvent> terminal = response.Status switch
        {
            ResponseStatus.Completed => (n, r) => new ResponseCompletedEvent(n, r),
            ResponseStatus.Incomplete or ResponseStatus.Cancelled => (n, r) => new ResponseIncompleteEvent(n, r),
            ResponseStatus.Failed => (n, r) => new ResponseFailedEvent(n, r),
            _ => throw new ArgumentException($"Response '{response.Id}' has not finished: it is {ResponseWire.Status(response.Status)}.", nameof(response)),
        };

        var emit = new Emitter(state.NextSequence);
        var next = Unseen(CloseCurrent(state, response, emit), response, emit);
        var final = ResponseWire.Response(response);
        emit.Add(n => terminal(n, final));
        return emit.Step(next);
    }

    /// <summary>
    /// The end of a stream that failed after it began (the upstream broke off, the server is stopping):
    /// the item still open is done as it stands (incomplete, unless <paramref name="response"/> holds its
    /// final form), then an <c>error</c> event with the error's own code, message and param, then
    /// <c>response.failed</c> with the output so far and an <c>error</c> whose code is from OpenAI's list.
    /// The Node SDK throws at the <c>error</c> event; the .NET and Python SDKs read both.
    /// </summary>
    /// <param name="response">The failed response as stored, if there is one; else the failure is reported on the response as it started, with the output streamed so far.</param>
    public static ResponseStreamStep Fail(ResponseStreamState state, ResponseRecord? response, ApiError error)
    {
        var emit = new Emitter(state.NextSequence);
        var next = CloseCurrent(state, response, emit);
        if (response is not null)
        {
            next = Unseen(next, response, emit);
        }

        emit.Add(n => new ResponseErrorEvent(n, error.Code ?? error.Type, error.Message, error.Param));
        var failed = (response ?? next.Response with { Output = [.. next.Output] }) with
        {
            Status = ResponseStatus.Failed,
            CompletedAt = null,
            Error = response?.Error ?? ResponseWire.Failure(error),
        };
        var snapshot = ResponseWire.Response(failed);
        emit.Add(n => new ResponseFailedEvent(n, snapshot));
        return emit.Step(next);
    }

    /// <summary>
    /// The whole stream of a finished response, told again from the record (for <c>GET /v1/responses/{id}?stream=true</c>):
    /// the start, each output item (added, its deltas as they were streamed when the record knows them, else
    /// one delta with all of it, done), and the terminal event, a failure as its error event and
    /// <c>response.failed</c>. A streamed response's events come out at the numbers they had live, so a
    /// client resuming after the last one it saw gets exactly the rest.
    /// </summary>
    /// <exception cref="ArgumentException">The response has not finished.</exception>
    public static ImmutableArray<ResponseStreamEvent> Replay(ResponseRecord response)
    {
        var turn = Conversations.TurnEnding.Replay(response);
        var step = Start(((TurnEvent.Started)turn[0]).Response ?? response);
        var events = ImmutableArray.CreateBuilder<ResponseStreamEvent>();
        events.AddRange(step.Events);
        foreach (var told in turn[1..^1])
        {
            step = Step(step.State, told);
            events.AddRange(step.Events);
        }

        // A failure is told as it was live: its error event, then response.failed.
        step = response is { Status: ResponseStatus.Failed, Error: { } error }
            ? Fail(step.State, response, new ApiError(500, ApiErrors.Server, error.Code, error.Message, null))
            : Finish(step.State, response);
        events.AddRange(step.Events);
        return events.DrainToImmutable();
    }

    /// <summary>
    /// The response as far as its stream has got (for a response still running): in progress, with the items
    /// done so far and the one being streamed, as much of it as has arrived.
    /// </summary>
    public static ResponseRecord SoFar(ResponseStreamState state) =>
        state.Response with { Output = state.Current is { } open ? [.. state.Output, Partial(open)] : [.. state.Output] };

    private static Item Partial(ResponseStreamState.OpenItem open) => open.Added switch
    {
        MessageItem message => message with
        {
            Content = [.. open.Parts.Select(part => part.IsRefusal
                ? (ContentPart)new ContentPart.Refusal(string.Concat(part.Chunks))
                : ContentPart.OutputText.Of(string.Concat(part.Chunks)))],
        },
        FunctionCallItem call => call with { Arguments = string.Concat(open.Arguments) },
        var item => item,
    };

    private static ResponseStreamState Add(ResponseStreamState state, Item item, Emitter emit)
    {
        if (IsKnown(state, item.Id))
        {
            return state;
        }

        var next = CloseCurrent(state, null, emit);
        var index = next.Output.Count;
        var added = Announced(item);
        var wire = ItemWire.Of(added);
        emit.Add(n => new OutputItemAddedEvent(n, index, wire));
        return next with { Current = new ResponseStreamState.OpenItem(index, added, [], []) };
    }

    private static ResponseStreamState Write(ResponseStreamState state, string text, bool refusal, Emitter emit)
    {
        if (text.Length == 0 || state.Current is not { Added: MessageItem } open)
        {
            return state;
        }

        var id = open.Added.Id;
        var parts = open.Parts;
        if (parts.IsEmpty || parts[^1].IsRefusal != refusal)
        {
            var opened = parts.Count;
            ContentPartObject empty = refusal ? new RefusalPartObject("") : new OutputTextPartObject("", [], []);
            emit.Add(n => new ContentPartAddedEvent(n, id, open.OutputIndex, opened, empty));
            parts = parts.Add(new ResponseStreamState.OpenPart(refusal, []));
        }

        var index = parts.Count - 1;
        emit.Add(n => refusal
            ? new RefusalDeltaEvent(n, id, open.OutputIndex, index, text)
            : new OutputTextDeltaEvent(n, id, open.OutputIndex, index, text, NoLogprobs));
        return state with { Current = open with { Parts = parts.SetItem(index, parts[index] with { Chunks = parts[index].Chunks.Add(text) }) } };
    }

    private static ResponseStreamState WriteArguments(ResponseStreamState state, string text, Emitter emit)
    {
        if (text.Length == 0 || state.Current is not { Added: FunctionCallItem } open)
        {
            return state;
        }

        emit.Add(n => new FunctionCallArgumentsDeltaEvent(n, open.Added.Id, open.OutputIndex, text));
        return state with { Current = open with { Arguments = open.Arguments.Add(text) } };
    }

    private static ResponseStreamState Done(ResponseStreamState state, Item item, Emitter emit)
    {
        if (state.Current is { } open && open.Added.Id == item.Id)
        {
            return Close(state, open, item, emit);
        }

        if (state.Output.Any(done => done.Id == item.Id))
        {
            return state;
        }

        return Whole(CloseCurrent(state, null, emit), item, emit);
    }

    /// <summary>Every item of the response's output not streamed yet, streamed whole, in order.</summary>
    private static ResponseStreamState Unseen(ResponseStreamState state, ResponseRecord response, Emitter emit)
    {
        foreach (var item in response.Output)
        {
            if (!IsKnown(state, item.Id))
            {
                state = Whole(state, item, emit);
            }
        }

        return state;
    }

    private static ResponseStreamState Whole(ResponseStreamState state, Item item, Emitter emit)
    {
        var added = Add(state, item, emit);
        return added.Current is { } open ? Close(added, open, item, emit) : added;
    }

    /// <summary>Closes the open item, in its final form if <paramref name="response"/> has it.</summary>
    private static ResponseStreamState CloseCurrent(ResponseStreamState state, ResponseRecord? response, Emitter emit) =>
        state.Current is { } open
            ? Close(state, open, response?.Output.FirstOrDefault(item => item.Id == open.Added.Id), emit)
            : state;

    /// <summary>
    /// The open item's done events. <paramref name="final"/> is its final form; without one (or with one
    /// of another kind) it ends as streamed so far, incomplete. Text the final form has beyond what was
    /// streamed is sent as one more delta first, so the deltas always add up to the done text.
    /// </summary>
    private static ResponseStreamState Close(ResponseStreamState state, ResponseStreamState.OpenItem open, Item? final, Emitter emit)
    {
        if (final is not null && final.GetType() != open.Added.GetType())
        {
            final = null;
        }

        var done = open.Added switch
        {
            MessageItem message => CloseMessage(message, open, final as MessageItem, emit),
            FunctionCallItem call => CloseCall(call, open, final as FunctionCallItem, emit),
            _ => final ?? (open.Added with { Status = ItemStatus.Incomplete }),
        };
        var wire = ItemWire.Of(done);
        emit.Add(n => new OutputItemDoneEvent(n, open.OutputIndex, wire));
        return state with { Output = state.Output.Add(done), Current = null };
    }

    private static MessageItem CloseMessage(MessageItem added, ResponseStreamState.OpenItem open, MessageItem? final, Emitter emit)
    {
        var id = added.Id;
        var finalParts = final?.Content ?? [];
        var count = Math.Max(open.Parts.Count, finalParts.Length);
        var content = ImmutableArray.CreateBuilder<ContentPart>(count);
        for (var index = 0; index < count; index++)
        {
            var contentIndex = index;
            var opened = index < open.Parts.Count ? open.Parts[index] : null;
            var streamed = opened is null ? "" : string.Concat(opened.Chunks);
            var part = index < finalParts.Length && (opened is null || Fits(finalParts[index], opened))
                ? finalParts[index]
                : opened!.IsRefusal ? new ContentPart.Refusal(streamed) : ContentPart.OutputText.Of(streamed);
            var wire = ItemWire.Part(part);
            if (opened is null)
            {
                var empty = wire switch
                {
                    OutputTextPartObject => new OutputTextPartObject("", [], []),
                    RefusalPartObject => new RefusalPartObject(""),
                    _ => wire,
                };
                emit.Add(n => new ContentPartAddedEvent(n, id, open.OutputIndex, contentIndex, empty));
            }

            switch (wire)
            {
                case OutputTextPartObject text:
                    if (Remainder(streamed, text.Text) is { } moreText)
                    {
                        emit.Add(n => new OutputTextDeltaEvent(n, id, open.OutputIndex, contentIndex, moreText, NoLogprobs));
                    }

                    emit.Add(n => new OutputTextDoneEvent(n, id, open.OutputIndex, contentIndex, text.Text, text.Logprobs));
                    break;
                case RefusalPartObject refusal:
                    if (Remainder(streamed, refusal.Refusal) is { } moreRefusal)
                    {
                        emit.Add(n => new RefusalDeltaEvent(n, id, open.OutputIndex, contentIndex, moreRefusal));
                    }

                    emit.Add(n => new RefusalDoneEvent(n, id, open.OutputIndex, contentIndex, refusal.Refusal));
                    break;
            }

            emit.Add(n => new ContentPartDoneEvent(n, id, open.OutputIndex, contentIndex, wire));
            content.Add(part);
        }

        return (final ?? (added with { Status = ItemStatus.Incomplete })) with { Content = content.MoveToImmutable() };
    }

    private static FunctionCallItem CloseCall(FunctionCallItem added, ResponseStreamState.OpenItem open, FunctionCallItem? final, Emitter emit)
    {
        var streamed = string.Concat(open.Arguments);
        var done = final ?? (added with { Arguments = streamed, Status = ItemStatus.Incomplete });
        if (Remainder(streamed, done.Arguments) is { } more)
        {
            emit.Add(n => new FunctionCallArgumentsDeltaEvent(n, added.Id, open.OutputIndex, more));
        }

        emit.Add(n => new FunctionCallArgumentsDoneEvent(n, added.Id, open.OutputIndex, done.Name, done.Arguments));
        return done;
    }

    /// <summary>An item as announced by <c>output_item.added</c>: in progress, with nothing streamed into it yet.</summary>
    private static Item Announced(Item item) => item switch
    {
        MessageItem message => message with { Status = ItemStatus.InProgress, Content = [] },
        FunctionCallItem call => call with { Status = ItemStatus.InProgress, Arguments = "" },
        _ => item with { Status = ItemStatus.InProgress },
    };

    private static bool Fits(ContentPart part, ResponseStreamState.OpenPart opened) => part switch
    {
        ContentPart.OutputText => !opened.IsRefusal,
        ContentPart.Refusal => opened.IsRefusal,
        _ => false,
    };

    /// <summary>What <paramref name="full"/> has beyond <paramref name="streamed"/>, if it extends it; null if there is nothing more to send.</summary>
    private static string? Remainder(string streamed, string full) =>
        full.Length > streamed.Length && full.StartsWith(streamed, StringComparison.Ordinal) ? full[streamed.Length..] : null;

    private static bool IsKnown(ResponseStreamState state, string id) =>
        state.Current?.Added.Id == id || state.Output.Any(item => item.Id == id);

    /// <summary>Collects one step's events, numbering them from where the stream stands.</summary>
    private sealed class Emitter(int next)
    {
        private readonly ImmutableArray<ResponseStreamEvent>.Builder events = ImmutableArray.CreateBuilder<ResponseStreamEvent>();
        private int next = next;

        public void Add(Func<int, ResponseStreamEvent> make) => events.Add(make(next++));

        public ResponseStreamStep Step(ResponseStreamState state) => new(state with { NextSequence = next }, events.ToImmutable());
    }
}
