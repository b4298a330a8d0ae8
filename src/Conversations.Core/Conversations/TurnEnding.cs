using System.Collections.Immutable;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
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

    /// <summary>A stored reply: a finished one is a success; one cut short is not, even though it is kept.</summary>
    public static TurnEvent Outcome(Message reply) =>
        reply.Status == MessageStatus.Completed ? new TurnEvent.Completed(reply) : new TurnEvent.Failed(CutShort);

    /// <summary>
    /// The last event of a stream that stopped while the client was still there. <paramref name="kept"/> is
    /// what storing the turn gave, or null when nothing had arrived to store. A failure or a drain is
    /// reported as such even though what arrived was kept.
    /// </summary>
    public static TurnEvent Report(StreamStop stop, OneOf<ConversationEvent.TurnStored, ConversationError>? kept) => stop switch
    {
        StreamStop.Drained => new TurnEvent.Failed(new ConversationError.ShuttingDown()),
        StreamStop.Failed when kept is { IsT1: true } => new TurnEvent.Failed(kept.Value.AsT1),
        StreamStop.Failed failed => new TurnEvent.Failed(new ConversationError.Upstream(failed.Error)),
        _ when kept is null => new TurnEvent.Failed(EndedBeforeAnyChunk),
        _ => kept.Value.Match(turn => Outcome(turn.Reply), error => new TurnEvent.Failed(error)),
    };

    /// <summary>A stored turn streamed again for a repeat of its request: the same text, ending the way it ended.</summary>
    public static ImmutableArray<TurnEvent> Replay(Message reply)
    {
        var events = ImmutableArray.CreateBuilder<TurnEvent>(3);
        events.Add(new TurnEvent.Started(reply.CompletionId, reply.CreatedAt, reply.Model));
        if (reply.Content.Length > 0)
        {
            events.Add(new TurnEvent.Delta(reply.Content));
        }

        events.Add(Outcome(reply));
        return events.DrainToImmutable();
    }
}
