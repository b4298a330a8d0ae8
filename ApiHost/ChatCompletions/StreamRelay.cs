using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Conversations.ApiHost.Streaming;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Errors;
using Conversations.Core.Upstream;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>
/// The stateless route's stream: the upstream's events relayed to the client one by one, each as soon
/// as it arrives, with its JSON untouched. It only reads each chunk to count usage, and drops the usage
/// chunk when the client did not ask for it (the service always asks, for accounting). A stream that
/// breaks, or goes quiet for longer than the idle timeout, ends with an error event in OpenAI's envelope.
/// </summary>
public static class StreamRelay
{
    public static async IAsyncEnumerable<SseItem<byte[]>> Events(
        HttpResponseMessage response,
        ChatCompletionsCall call,
        UsageMeter meter,
        TimeSpan idleTimeout,
        CancellationToken drained,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var upstream = response;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drained);
        try
        {
            idle.CancelAfter(idleTimeout);
            var body = await upstream.Content.ReadAsStreamAsync(idle.Token);
            await using var events = SseParser.Create(body, static (_, data) => data.ToArray()).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
            var finished = false;
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                var (item, broken) = await Next(events, idle, drained, cancellationToken);
                if (item is null && broken is null)
                {
                    // The upstream closed the stream without [DONE]. After a finish reason that is only a
                    // missing courtesy (the reply is whole), so the client gets its [DONE]; before one, the
                    // reply was cut short.
                    yield return finished
                        ? ServerEvents.Done
                        : ServerEvents.Error(ApiErrors.From(new UpstreamError.StreamFailed("The upstream ended the stream without finishing it.", null)));
                    yield break;
                }

                if (broken is not null)
                {
                    yield return ServerEvents.Error(broken);
                    yield break;
                }

                var relayed = ServerEvents.Relayed(item!.Value.Data, item.Value.EventType);
                if (ServerEvents.IsDone(relayed))
                {
                    yield return relayed;
                    yield break;
                }

                var parsed = ChatCompletionParser.ParseChunk(relayed.Data);
                if (parsed.TryPickT0(out var chunk, out _))
                {
                    meter.Step(chunk);
                    finished |= chunk.FinishReason.Length > 0;
                    if (chunk.Usage is not null && !call.ClientWantsUsage && chunk.ContentDelta.Length == 0 && chunk.FinishReason.Length == 0)
                    {
                        continue;
                    }
                }

                yield return relayed;
                if (parsed.IsT1)
                {
                    // The upstream reported a failure inside the stream; it was passed on as sent, and ends it.
                    yield break;
                }
            }
        }
        finally
        {
            meter.Record();
        }
    }

    /// <summary>The next event, why the stream broke, or neither at its end; throws only when the client went away.</summary>
    private static async Task<(SseItem<byte[]>? Item, ApiError? Broken)> Next(
        IAsyncEnumerator<SseItem<byte[]>> events, CancellationTokenSource idle, CancellationToken drained, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync() ? (events.Current, null) : (null, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && drained.IsCancellationRequested)
        {
            return (null, ApiErrors.ShuttingDown());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && idle.IsCancellationRequested)
        {
            return (null, ApiErrors.From(new UpstreamError.Timeout("The upstream sent nothing for too long in the middle of a stream.")));
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return (null, ApiErrors.From(new UpstreamError.StreamFailed("The connection to the upstream was cut in the middle of the stream.", null)));
        }
    }
}
