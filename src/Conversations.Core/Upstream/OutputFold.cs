using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Core.Upstream;

/// <summary>
/// Assembles a turn's output items from stream chunks, and tells, chunk by chunk, the
/// <see cref="TurnEvent"/>s a client watching the turn is owed: per item, <see cref="TurnEvent.ItemAdded"/>,
/// its deltas, then <see cref="TurnEvent.ItemDone"/>.
/// <list type="bullet">
/// <item>Text and refusal go into an assistant message, opened (<c>msg_</c>) when the first of either
/// arrives while no message is the open item.</item>
/// <item>Each tool call index the upstream names becomes a function call item (<c>fc_</c>), opened when
/// the index first appears. Opening an item closes the one before it, which is then whole and completed.
/// Upstreams send a call's pieces one call after the other; a piece for a call already closed (no known
/// upstream does that) still joins its arguments, with no event, so the stored item is right.</item>
/// <item><see cref="Finish"/> closes the last item. It is completed if the upstream said why it stopped,
/// unless that was <c>length</c> or <c>content_filter</c>: then, as when the stream was cut short, it is
/// incomplete, since its text or arguments stop where they were cut.</item>
/// </list>
/// Item ids come from the caller's <c>newId(prefix)</c>, which is the only randomness involved.
/// </summary>
public static class OutputFold
{
    public const string MessagePrefix = "msg_";
    public const string FunctionCallPrefix = "fc_";

    /// <summary>The prefix of a call id made up for an upstream that sent a tool call without one.</summary>
    public const string CallPrefix = "call_";

    private static readonly ImmutableArray<TurnEvent> NoEvents = [];

    /// <summary>
    /// A draft before the upstream has said anything. The id and model are placeholders the upstream's own
    /// values replace as soon as a chunk carries them.
    /// </summary>
    /// <param name="startedAt">When the turn began: the output items' creation time, and the placeholder <c>created</c>.</param>
    /// <param name="firstSequence">The position of the first output item; the others follow it.</param>
    public static OutputDraft Start(string completionId, DateTimeOffset startedAt, string model, long firstSequence) =>
        new(completionId, startedAt.ToUnixTimeSeconds(), model, startedAt, firstSequence, ImmutableList<DraftItem>.Empty, "", null);

    /// <summary>Takes in one chunk: the new draft, and the events it implies, in order.</summary>
    public static (OutputDraft Draft, ImmutableArray<TurnEvent> Events) Step(OutputDraft draft, ChatCompletionChunk chunk, Func<string, string> newId)
    {
        var text = chunk.TextDelta;
        var refusal = chunk.RefusalDelta;
        if (text.Length == 0 && refusal.Length == 0 && chunk.ToolCalls.IsDefaultOrEmpty)
        {
            return (Took(draft, chunk, draft.Items), NoEvents);
        }

        // Most chunks imply one event, and a builder that ends full hands over its array without a copy.
        var events = ImmutableArray.CreateBuilder<TurnEvent>(1);
        var items = draft.Items;
        if (text.Length > 0 || refusal.Length > 0)
        {
            if (items.IsEmpty || items[^1] is not DraftItem.Message)
            {
                items = Open(draft, items, new DraftItem.Message(newId(MessagePrefix), [], []), events);
            }

            var message = (DraftItem.Message)items[^1];
            if (text.Length > 0)
            {
                message = message with { Text = message.Text.Add(text) };
                events.Add(new TurnEvent.Delta(text));
            }

            if (refusal.Length > 0)
            {
                message = message with { Refusal = message.Refusal.Add(refusal) };
                events.Add(new TurnEvent.RefusalDelta(refusal));
            }

            items = items.SetItem(items.Count - 1, message);
        }

        foreach (var fragment in chunk.ToolCalls.AsSpan())
        {
            items = TakeFragment(draft, items, fragment, newId, events);
        }

        var implied = events.DrainToImmutable();
        return (Took(draft, chunk, items) with { Shape = Shaped(draft.Shape, implied) }, implied);
    }

    /// <summary>The shape with the lengths of these events' deltas added (a refusal's negative).</summary>
    private static ImmutableList<int> Shaped(ImmutableList<int> shape, ImmutableArray<TurnEvent> events)
    {
        foreach (var turnEvent in events)
        {
            shape = turnEvent switch
            {
                TurnEvent.Delta delta => shape.Add(delta.Content.Length),
                TurnEvent.RefusalDelta refusal => shape.Add(-refusal.Text.Length),
                TurnEvent.ArgumentsDelta arguments => shape.Add(arguments.Text.Length),
                _ => shape,
            };
        }

        return shape;
    }

    /// <summary>
    /// The draft after a chunk: its items, and the upstream's id, time, model, finish reason and usage where
    /// the chunk carries them. (Items are made from the draft before: they read only its start time and
    /// first position, which no chunk changes.)
    /// </summary>
    private static OutputDraft Took(OutputDraft draft, ChatCompletionChunk chunk, ImmutableList<DraftItem> items) => draft with
    {
        CompletionId = chunk.Id.Length > 0 ? chunk.Id : draft.CompletionId,
        Created = chunk.Created > 0 ? chunk.Created : draft.Created,
        Model = chunk.Model.Length > 0 ? chunk.Model : draft.Model,
        FinishReason = chunk.FinishReason.Length > 0 ? chunk.FinishReason : draft.FinishReason,
        Usage = chunk.Usage ?? draft.Usage,
        Items = items,
    };

    /// <summary>True once the upstream has said why it stopped (or sent its answer whole); a draft without that was cut short.</summary>
    public static bool IsFinished(OutputDraft draft) => draft.Whole || draft.FinishReason.Length > 0;

    /// <summary>
    /// The turn's output, however it ended, and the events still owed: <see cref="TurnEvent.ItemDone"/> for the
    /// open item. The last item carries the <see cref="ReplyInfo"/>. A turn that produced no item (cut short
    /// before anything arrived, or finished without a word) gets one empty assistant message, announced
    /// and done in the owed events, so there is always an item to hold the reply info, as a plain chat turn
    /// always has a reply.
    /// </summary>
    /// <param name="countTokens">Counts a text's tokens, for the estimate when the upstream sent no usage.</param>
    /// <param name="promptTokensEstimate">The prompt's estimated size (see <see cref="PromptTokens"/>).</param>
    public static (TurnOutput Output, ImmutableArray<TurnEvent> Owed) Finish(
        OutputDraft draft, Func<string, string> newId, Func<string, long> countTokens, long promptTokensEstimate)
    {
        var reply = new ReplyInfo(Usage(draft, countTokens, promptTokensEstimate), draft.Model, draft.FinishReason, draft.CompletionId);
        var lastStatus = IsFinished(draft) && draft.FinishReason is not ("length" or "content_filter") ? ItemStatus.Completed : ItemStatus.Incomplete;
        var draftItems = draft.Items;
        var owed = ImmutableArray.CreateBuilder<TurnEvent>(2);
        if (draftItems.IsEmpty)
        {
            var empty = new DraftItem.Message(newId(MessagePrefix), [], []);
            owed.Add(new TurnEvent.ItemAdded(Added(draft, empty, 0)));
            draftItems = [empty];
        }

        var items = ImmutableArray.CreateBuilder<Item>(draftItems.Count);
        for (var i = 0; i < draftItems.Count; i++)
        {
            var last = i == draftItems.Count - 1;
            items.Add(Final(draft, draftItems[i], i, last ? lastStatus : ItemStatus.Completed, last ? reply : null));
        }

        owed.Add(new TurnEvent.ItemDone(items[^1]));
        return (new TurnOutput(items.MoveToImmutable(), reply, draft.Whole ? [] : [.. draft.Shape]), owed.DrainToImmutable());
    }

    /// <summary>A single-shot completion's output: the same items a stream of it would fold into.</summary>
    public static TurnOutput FromCompletion(
        ChatCompletion completion,
        DateTimeOffset startedAt,
        long firstSequence,
        Func<string, string> newId,
        Func<string, long> countTokens,
        long promptTokensEstimate)
    {
        var draft = Start(completion.Id, startedAt, completion.Model, firstSequence) with { Whole = true };
        foreach (var chunk in ChatCompletionChunk.FromCompletion(completion))
        {
            draft = Step(draft, chunk, newId).Draft;
        }

        return Finish(draft, newId, countTokens, promptTokensEstimate).Output;
    }

    /// <summary>
    /// How a turn the upstream finished ended for the Responses API: <c>incomplete</c> because of
    /// <c>max_output_tokens</c> when it stopped at the length limit, or because of <c>content_filter</c>;
    /// <c>completed</c> for any other reason. (A turn cut short before the upstream said is the caller's to
    /// name: a failure, or a client gone.)
    /// </summary>
    public static TurnOutcome Outcome(string finishReason) => finishReason switch
    {
        "length" => new TurnOutcome(ResponseStatus.Incomplete, TurnOutcome.MaxOutputTokens),
        "content_filter" => new TurnOutcome(ResponseStatus.Incomplete, TurnOutcome.ContentFilter),
        _ => TurnOutcome.Completed,
    };

    /// <summary>
    /// What the turn used: the upstream's own count when it sent one, otherwise an estimate (the prompt as
    /// estimated before sending, and everything that arrived: text, refusals, calls' names and arguments).
    /// </summary>
    public static TokenUsage Usage(OutputDraft draft, Func<string, long> countTokens, long promptTokensEstimate)
    {
        if (draft.Usage is { } reported)
        {
            return reported;
        }

        var completion = 0L;
        foreach (var item in draft.Items)
        {
            completion += item switch
            {
                DraftItem.Message message => countTokens(Join(message.Text)) + (message.Refusal.IsEmpty ? 0 : countTokens(Join(message.Refusal))),
                DraftItem.Call call => countTokens(call.Name) + countTokens(Join(call.Arguments)),
                _ => 0,
            };
        }

        return new TokenUsage(promptTokensEstimate, completion);
    }

    /// <summary>Closes the open item (owing its <see cref="TurnEvent.ItemDone"/>) and opens <paramref name="next"/> (owing its <see cref="TurnEvent.ItemAdded"/>).</summary>
    private static ImmutableList<DraftItem> Open(OutputDraft draft, ImmutableList<DraftItem> items, DraftItem next, ImmutableArray<TurnEvent>.Builder events)
    {
        if (!items.IsEmpty)
        {
            events.Add(new TurnEvent.ItemDone(Final(draft, items[^1], items.Count - 1, ItemStatus.Completed, null)));
        }

        events.Add(new TurnEvent.ItemAdded(Added(draft, next, items.Count)));
        return items.Add(next);
    }

    private static ImmutableList<DraftItem> TakeFragment(
        OutputDraft draft, ImmutableList<DraftItem> items, ToolCallFragment fragment, Func<string, string> newId, ImmutableArray<TurnEvent>.Builder events)
    {
        if (!items.IsEmpty && items[^1] is DraftItem.Call open && open.Index == fragment.Index)
        {
            if (fragment.Arguments.Length > 0)
            {
                events.Add(new TurnEvent.ArgumentsDelta(fragment.Arguments));
            }

            return items.SetItem(items.Count - 1, Extend(open, fragment));
        }

        for (var i = items.Count - 2; i >= 0; i--)
        {
            if (items[i] is DraftItem.Call earlier && earlier.Index == fragment.Index)
            {
                return items.SetItem(i, Extend(earlier, fragment));
            }
        }

        var call = new DraftItem.Call(newId(FunctionCallPrefix), fragment.Index, fragment.Id ?? newId(CallPrefix), fragment.Name ?? "", []);
        items = Open(draft, items, call, events);
        if (fragment.Arguments.Length > 0)
        {
            events.Add(new TurnEvent.ArgumentsDelta(fragment.Arguments));
            items = items.SetItem(items.Count - 1, call with { Arguments = call.Arguments.Add(fragment.Arguments) });
        }

        return items;
    }

    /// <summary>More of a call: its arguments grow; its name is the first one given (some servers repeat it in every piece).</summary>
    private static DraftItem.Call Extend(DraftItem.Call call, ToolCallFragment fragment) => call with
    {
        Name = call.Name.Length == 0 && fragment.Name is { } name ? name : call.Name,
        Arguments = fragment.Arguments.Length > 0 ? call.Arguments.Add(fragment.Arguments) : call.Arguments,
    };

    /// <summary>An item as it is announced: in progress, with no content or arguments yet.</summary>
    private static Item Added(OutputDraft draft, DraftItem item, int position) => item switch
    {
        DraftItem.Message message => new MessageItem(
            message.Id, draft.FirstSequence + position, ItemStatus.InProgress, draft.CreatedAt, null, MessageRole.Assistant, []),
        DraftItem.Call call => new FunctionCallItem(
            call.Id, draft.FirstSequence + position, ItemStatus.InProgress, draft.CreatedAt, null, call.CallId, call.Name, ""),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "An output item the fold does not make."),
    };

    /// <summary>An item in its final form: a message's text as one output text part and its refusal as one refusal part.</summary>
    private static Item Final(OutputDraft draft, DraftItem item, int position, ItemStatus status, ReplyInfo? reply)
    {
        switch (item)
        {
            case DraftItem.Message message:
                var content = ImmutableArray.CreateBuilder<ContentPart>(2);
                if (!message.Text.IsEmpty)
                {
                    content.Add(ContentPart.OutputText.Of(Join(message.Text)));
                }

                if (!message.Refusal.IsEmpty)
                {
                    content.Add(new ContentPart.Refusal(Join(message.Refusal)));
                }

                return new MessageItem(
                    message.Id, draft.FirstSequence + position, status, draft.CreatedAt, reply, MessageRole.Assistant, content.DrainToImmutable());
            case DraftItem.Call call:
                return new FunctionCallItem(
                    call.Id, draft.FirstSequence + position, status, draft.CreatedAt, reply, call.CallId, call.Name, Join(call.Arguments));
            default:
                throw new ArgumentOutOfRangeException(nameof(item), item, "An output item the fold does not make.");
        }
    }

    private static string Join(ImmutableList<string> pieces) => pieces.Count switch
    {
        0 => "",
        1 => pieces[0],
        _ => string.Concat(pieces),
    };
}
