using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Streaming;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Errors;
using Conversations.Core.Json;
using Conversations.Core.Upstream;
using Conversations.Core.Wire;
using Conversations.Upstream;
using OneOf;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>
/// The stateless route's answer when the model is not the HTTP upstream's: the offline model (in the
/// same wire format as a real one), or a clear 404 naming how to configure an upstream.
/// </summary>
public static class OfflineAnswer
{
    /// <param name="slot">The caller's stream slot when the call streams; null otherwise.</param>
    public static async Task<IResult> Answer(
        HttpContext context, UpstreamRouter router, ReadOnlyMemory<byte> body, ChatCompletionsCall call, UsageMeter meter, StreamSlot? slot)
    {
        var json = JsonBody.Parse(body.Span);
        if (json.TryPickT1(out var notJson, out var element))
        {
            return Problems.Of(notJson);
        }

        var parsed = ChatCompletionsRequests.ToUpstreamRequest(element, call);
        if (parsed.TryPickT1(out var invalid, out var request))
        {
            return Problems.Of(invalid);
        }

        if (!call.Stream)
        {
            var completion = await router.CompleteAsync(request, context.RequestAborted);
            if (completion.TryPickT1(out var error, out var reply))
            {
                return Problems.Of(ApiErrors.From(error));
            }

            meter.Completed(reply);
            return TypedResults.Ok(
                new ChatCompletionObject(reply.Id, "chat.completion", reply.Created, reply.Model,
                    [new ChoiceObject(0, new AssistantMessageObject("assistant", reply.Content, null), null, reply.FinishReason)],
                    WireObjects.Usage(reply.Usage)));
        }

        var chunks = router.StreamAsync(request, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        if (!await chunks.MoveNextAsync())
        {
            await chunks.DisposeAsync();
            return Problems.Of(ApiErrors.Internal(context.TraceIdentifier));
        }

        if (chunks.Current.TryPickT1(out var refused, out _))
        {
            await chunks.DisposeAsync();
            return Problems.Of(ApiErrors.From(refused));
        }

        context.Response.RegisterForDisposeAsync(chunks);
        return ServerEvents.Stream(Chunks(chunks, call, meter), slot ?? throw new ArgumentNullException(nameof(slot), "A stream needs its slot."), context.Response);
    }

    /// <summary>The offline model's chunks as Chat Completions events, from the first (already read) on.</summary>
    private static async IAsyncEnumerable<SseItem<byte[]>> Chunks(
        IAsyncEnumerator<OneOf<ChatCompletionChunk, UpstreamError>> chunks,
        ChatCompletionsCall call,
        UsageMeter meter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            var first = chunks.Current.AsT0;
            // A stream starts with the assistant role and empty content, as OpenAI's does.
            yield return Chunk(WireObjects.RoleChunk(first.Id, first.Created, first.Model));
            do
            {
                if (chunks.Current.TryPickT1(out var failed, out var chunk))
                {
                    yield return ServerEvents.Error(ApiErrors.From(failed));
                    yield break;
                }

                meter.Step(chunk);
                if (chunk.Usage is { } usage)
                {
                    if (call.ClientWantsUsage)
                    {
                        yield return Chunk(WireObjects.UsageChunk(chunk.Id, chunk.Created, chunk.Model, usage));
                    }
                }
                else if (chunk.FinishReason.Length > 0)
                {
                    yield return Chunk(WireObjects.FinishChunk(chunk.Id, chunk.Created, chunk.Model, chunk.FinishReason));
                }
                else
                {
                    yield return Chunk(WireObjects.ContentChunk(chunk.Id, chunk.Created, chunk.Model, chunk.ContentDelta));
                }
            }
            while (await chunks.MoveNextAsync());

            yield return ServerEvents.Done;
        }
        finally
        {
            meter.Record();
            await chunks.DisposeAsync();
        }
    }

    private static SseItem<byte[]> Chunk(ChunkObject chunk) => ServerEvents.Data(chunk, WireJson.Api.ChunkObject);
}
