using Conversations.Core.Conversations;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Metrics;
using Conversations.Core.Errors;
using OneOf;

namespace Conversations.ApiHost.Streaming;

/// <summary>
/// A streamed turn that has begun: the grain's <see cref="TurnEvent.Started"/>, and the reader of the
/// events after it. Every API that streams a turn opens it this way and then maps the reads to its own
/// wire events (Chat Completions chunks, Responses events).
/// </summary>
public sealed record TurnStream(TurnEvent.Started Started, GrainEventReader<TurnEvent> Events)
{
    /// <summary>
    /// Reads the grain's turn until it begins. A turn refused before it began (busy, not found, the
    /// upstream said no) is a plain HTTP error, not a stream.
    /// </summary>
    /// <param name="drained">Cancelled when this host's drain time has run out (<c>ShutdownDrain.Ended</c>).</param>
    public static async Task<OneOf<TurnStream, ErrorResult>> Open(
        IAsyncEnumerable<TurnEvent> turn, string conversationId, CancellationToken drained, HttpContext context)
    {
        var meter = TurnMeter.Of(context);
        var events = GrainEventReader<TurnEvent>.Open(turn, drained, context, meter is null ? null : meter.Read, meter is null ? null : meter.Left);
        var first = await events.FirstAsync();
        if (first is TurnEvent.Started started)
        {
            meter?.Started(started.Model);
            return new TurnStream(started, events);
        }

        await events.DisposeAsync();
        return first is TurnEvent.Failed failed
            ? Problems.Of(failed.Error, conversationId)
            : Problems.Of(ApiErrors.Internal(context.TraceIdentifier));
    }
}
