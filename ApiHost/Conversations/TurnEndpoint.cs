using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Lifecycle;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Idempotency;
using Conversations.ApiHost.Limits;
using Conversations.Abstractions.Users;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// <c>POST /v1/conversations/{id}/messages</c>: one turn, answered as a <c>chat.completion</c>, or with
/// <c>stream: true</c> as Chat Completions' server-sent events ending in <c>data: [DONE]</c>.
/// </summary>
public static class TurnEndpoint
{
    public const string Done = "[DONE]";

    public static async Task<IResult> Send(
        string id,
        HttpRequest request,
        ClaimsPrincipal user,
        GrainReferences<IConversationGrain> conversations,
        GrainReferences<IUserGrain> users,
        IOptions<ApiHostOptions> options,
        ShutdownDrain drain)
    {
        if (!Ids.IsWellFormed(id, Ids.ConversationPrefix))
        {
            return Problems.Of(ApiErrors.MalformedId("conversation_id", id));
        }

        var aborted = request.HttpContext.RequestAborted;
        var read = await RequestBody.ReadBytes(request, options.Value.MaxRequestBodyBytes, aborted);
        if (read.TryPickT1(out var bodyError, out var bytes))
        {
            return bodyError;
        }

        var json = JsonBody.Parse(bytes.Span);
        if (json.TryPickT1(out var notJson, out var element))
        {
            return Problems.Of(notJson);
        }

        var header = IdempotencyHeader.Read(request, $"POST /v1/conversations/{id}/messages", bytes.Span);
        if (header.TryPickT1(out var badKey, out var idempotency))
        {
            return badKey;
        }

        var parsed = ConversationRequests.ParseSend(element);
        if (parsed.TryPickT1(out var invalid, out var send))
        {
            return Problems.Of(invalid);
        }

        var grain = conversations.For(id);
        if (!send.Stream)
        {
            var answer = await grain.Send(user.UserId(), send, idempotency, aborted);
            return answer.Match<IResult>(
                turn => TypedResults.Json(WireObjects.Completion(turn.Reply), WireJson.Api.ChatCompletionObject),
                error => Problems.Of(error, id));
        }

        var userGrain = users.For(user.UserId());
        var slot = await StreamSlots.Take(userGrain);
        if (slot.TryPickT1(out var tooMany, out var lease))
        {
            return tooMany;
        }

        var handedOver = false;
        try
        {
            var events = grain.Stream(user.UserId(), send, idempotency, aborted).WithBatchSize(options.Value.StreamBatchSize).GetAsyncEnumerator(aborted);
            var first = await events.MoveNextAsync() ? events.Current : null;
            if (first is not TurnEvent.Started started)
            {
                // Refused before it began (busy, not found, the upstream said no): a plain HTTP error, not a stream.
                await events.DisposeAsync();
                return first is TurnEvent.Failed failed
                    ? Problems.Of(failed.Error, id)
                    : Problems.Of(ApiErrors.Internal(request.HttpContext.TraceIdentifier));
            }

            handedOver = true;
            return TypedResults.ServerSentEvents(Relay(events, started, id, () => userGrain.ReleaseStream(lease.LeaseId), drain.Ended));
        }
        finally
        {
            if (!handedOver)
            {
                await userGrain.ReleaseStream(lease.LeaseId);
            }
        }
    }

    /// <summary>
    /// The grain's events as Chat Completions chunks. The reply is stored and the turn released before
    /// the grain reports <see cref="TurnEvent.Completed"/>, so <c>[DONE]</c> promises both.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> Relay(
        IAsyncEnumerator<TurnEvent> events,
        TurnEvent.Started started,
        string conversationId,
        Func<Task> release,
        CancellationToken drained,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            var created = started.Created.ToUnixTimeSeconds();
            yield return Data(WireObjects.RoleChunk(started.CompletionId, created, started.Model));
            while (true)
            {
                var next = await Next(events, drained);
                if (next is null)
                {
                    yield break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                switch (next)
                {
                    case TurnEvent.Delta delta:
                        yield return Data(WireObjects.ContentChunk(started.CompletionId, created, started.Model, delta.Content));
                        break;
                    case TurnEvent.Completed completed:
                        yield return Data(WireObjects.FinishChunk(started.CompletionId, created, started.Model, completed.Reply.FinishReason));
                        yield return Data(WireObjects.UsageChunk(started.CompletionId, created, started.Model, completed.Reply.Usage));
                        yield return new SseItem<string>(Done);
                        yield break;
                    case TurnEvent.Failed failed:
                        // Mid-stream there is no status line left to set: the SDKs read an error payload as the failure.
                        yield return new SseItem<string>(JsonSerializer.Serialize(
                            WireObjects.Error(ApiErrors.From(failed.Error, conversationId)), WireJson.Api.ErrorEnvelope));
                        yield break;
                    case LostSilo:
                        yield return new SseItem<string>(JsonSerializer.Serialize(WireObjects.Error(ClusterFailures.Unavailable()), WireJson.Api.ErrorEnvelope));
                        yield break;
                    case Drained:
                        // Disposing the grain's stream (below) keeps the partial reply, as for a client that left.
                        yield return new SseItem<string>(JsonSerializer.Serialize(WireObjects.Error(ShutdownDrain.ShuttingDown()), WireJson.Api.ErrorEnvelope));
                        yield break;
                }
            }
        }
        finally
        {
            // Tells the grain the client is gone if we stopped early, which cancels the upstream request.
            try
            {
                await events.DisposeAsync();
            }
            catch (Exception exception) when (ClusterFailures.IsTransient(exception) || exception is InvalidOperationException)
            {
                // The grain's side is gone already (its silo died, or a pull was still pending when the drain ended it).
            }

            await release();
        }
    }

    /// <summary>
    /// The grain's next event; null at the end; <see cref="LostSilo"/> if its silo went away mid-stream;
    /// <see cref="Drained"/> if the host is stopping and the drain time ran out.
    /// </summary>
    private static async Task<TurnEvent?> Next(IAsyncEnumerator<TurnEvent> events, CancellationToken drained)
    {
        try
        {
            var moved = events.MoveNextAsync();
            var more = moved.IsCompleted ? moved.Result : await moved.AsTask().WaitAsync(drained);
            return more ? events.Current : null;
        }
        catch (OperationCanceledException) when (drained.IsCancellationRequested)
        {
            return new Drained();
        }
        catch (Exception exception) when (ClusterFailures.IsTransient(exception))
        {
            return new LostSilo();
        }
    }

    /// <summary>Not a grain event: the host's note that the grain's silo went away mid-stream.</summary>
    private sealed record LostSilo : TurnEvent;

    /// <summary>Not a grain event: the host is stopping and this stream's drain time ran out.</summary>
    private sealed record Drained : TurnEvent;

    private static SseItem<string> Data(ChunkObject chunk) =>
        new(JsonSerializer.Serialize(chunk, WireJson.Api.ChunkObject));
}
