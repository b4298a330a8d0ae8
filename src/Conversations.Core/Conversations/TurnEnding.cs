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

    /// <summary>A stored turn streamed again for a repeat of its request: the same output, ending the way it ended.</summary>
    public static ImmutableArray<TurnEvent> Replay(ResponseRecord response)
    {
        var reply = TurnResponses.Reply(response);
        var events = ImmutableArray.CreateBuilder<TurnEvent>();
        events.Add(new TurnEvent.Started(reply?.CompletionId ?? "", response.CreatedAt, response.Model, response with { Status = ResponseStatus.InProgress, Output = [], Usage = null, CompletedAt = null, Error = null, IncompleteReason = null }));
        foreach (var item in response.Output)
        {
            events.Add(new TurnEvent.ItemAdded(Opened(item)));
            switch (item)
            {
                case MessageItem message:
                    foreach (var part in message.Content)
                    {
                        events.Add(part switch
                        {
                            ContentPart.Refusal refusal => new TurnEvent.RefusalDelta(refusal.Text),
                            _ => new TurnEvent.Delta(ContentParts.Text([part])),
                        });
                    }

                    break;
                case FunctionCallItem call when call.Arguments.Length > 0:
                    events.Add(new TurnEvent.ArgumentsDelta(call.Arguments));
                    break;
            }

            events.Add(new TurnEvent.ItemDone(item));
        }

        events.Add(Outcome(response));
        return events.DrainToImmutable();
    }

    /// <summary>An output item as it is first announced: in progress, nothing written yet.</summary>
    private static Item Opened(Item item) => item switch
    {
        MessageItem message => message with { Status = ItemStatus.InProgress, Content = [], Reply = null },
        FunctionCallItem call => call with { Status = ItemStatus.InProgress, Arguments = "", Reply = null },
        _ => item with { Status = ItemStatus.InProgress, Reply = null },
    };
}
