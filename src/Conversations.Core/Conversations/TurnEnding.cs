using System.Collections.Immutable;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Core.Conversations;

/// <summary>What a client is told when a turn ends, however it ended.</summary>
public static class TurnEnding
{
    /// <summary>The upstream closed a stream that had not yet sent a single chunk.</summary>
    public static readonly ConversationError EndedBeforeAnyChunk =
        new ConversationError.Upstream(new UpstreamError.MalformedResponse("The stream ended before any chunk arrived."));

    /// <summary>The upstream ended the stream without saying the reply was finished.</summary>
    public static readonly ConversationError CutShort =
        new ConversationError.Upstream(new UpstreamError.StreamFailed("The upstream ended the stream before the reply was finished; what arrived is kept as incomplete.", null));

    /// <summary>A stored turn: a finished one is a success; one cut short is not, even though it is kept.</summary>
    public static TurnEvent Outcome(ResponseRecord response) =>
        TurnResponses.IsWhole(response) ? new TurnEvent.Completed(response) : new TurnEvent.Failed(CutShort, response);

    /// <summary>
    /// The last event of a stream that stopped while the client was still there. <paramref name="kept"/> is
    /// what storing the turn gave, or null when nothing had arrived to store. A failure or a drain is
    /// reported as such even though what arrived was kept.
    /// </summary>
    public static TurnEvent Report(StreamStop stop, OneOf<ResponseRecord, ConversationError>? kept) => stop switch
    {
        _ when kept is { IsT1: true } && stop is not StreamStop.Drained => new TurnEvent.Failed(kept.Value.AsT1),
        StreamStop.Drained => new TurnEvent.Failed(new ConversationError.ShuttingDown(), Kept(kept)),
        StreamStop.Failed failed => new TurnEvent.Failed(new ConversationError.Upstream(failed.Error), Kept(kept)),
        _ when kept is null => new TurnEvent.Failed(EndedBeforeAnyChunk),
        _ => Outcome(kept.Value.AsT0),
    };

    private static ResponseRecord? Kept(OneOf<ResponseRecord, ConversationError>? kept) => kept is { IsT0: true } ? kept.Value.AsT0 : null;

    /// <summary>
    /// A stored turn streamed again (for a repeat of its request, or a client resuming it): the same
    /// output, in the same deltas when its <see cref="ResponseRecord.StreamShape"/> is known (so the
    /// Responses API's events come out at the same sequence numbers), ending the way it ended.
    /// </summary>
    public static ImmutableArray<TurnEvent> Replay(ResponseRecord response)
    {
        var reply = TurnResponses.Reply(response);
        var events = ImmutableArray.CreateBuilder<TurnEvent>();
        events.Add(new TurnEvent.Started(reply?.CompletionId ?? "", response.CreatedAt, response.Model, response with { Status = ResponseStatus.InProgress, Output = [], Usage = null, CompletedAt = null, Error = null, IncompleteReason = null }));
        var shape = response.StreamShape;
        var next = 0;
        foreach (var item in response.Output)
        {
            events.Add(new TurnEvent.ItemAdded(Opened(item)));
            switch (item)
            {
                case MessageItem message:
                    var text = ContentParts.Text(message.Content);
                    var refusal = string.Concat(message.Content.OfType<ContentPart.Refusal>().Select(part => part.Text));
                    var (told, refused) = (0, 0);
                    for (; next < shape.Length; next++)
                    {
                        var length = shape[next];
                        if (length > 0 && told + length <= text.Length)
                        {
                            events.Add(new TurnEvent.Delta(text.Substring(told, length)));
                            told += length;
                        }
                        else if (length < 0 && refused - length <= refusal.Length)
                        {
                            events.Add(new TurnEvent.RefusalDelta(refusal.Substring(refused, -length)));
                            refused -= length;
                        }
                        else
                        {
                            break; // the next item's deltas
                        }
                    }

                    AddRest(events, text, told, rest => new TurnEvent.Delta(rest));
                    AddRest(events, refusal, refused, rest => new TurnEvent.RefusalDelta(rest));
                    break;
                case FunctionCallItem call:
                    var argued = 0;
                    for (; next < shape.Length && shape[next] > 0 && argued + shape[next] <= call.Arguments.Length; next++)
                    {
                        events.Add(new TurnEvent.ArgumentsDelta(call.Arguments.Substring(argued, shape[next])));
                        argued += shape[next];
                    }

                    AddRest(events, call.Arguments, argued, rest => new TurnEvent.ArgumentsDelta(rest));
                    break;
            }

            events.Add(new TurnEvent.ItemDone(item));
        }

        events.Add(Outcome(response));
        return events.DrainToImmutable();
    }

    /// <summary>What the shape did not account for (a turn told whole, or a shape that does not fit), as one last delta.</summary>
    private static void AddRest(ImmutableArray<TurnEvent>.Builder events, string whole, int told, Func<string, TurnEvent> delta)
    {
        if (told < whole.Length)
        {
            events.Add(delta(whole[told..]));
        }
    }

    /// <summary>An output item as it is first announced: in progress, nothing written yet.</summary>
    private static Item Opened(Item item) => item switch
    {
        MessageItem message => message with { Status = ItemStatus.InProgress, Content = [], Reply = null },
        FunctionCallItem call => call with { Status = ItemStatus.InProgress, Arguments = "", Reply = null },
        _ => item with { Status = ItemStatus.InProgress, Reply = null },
    };
}
