using System.Net.ServerSentEvents;
using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Lifecycle;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Idempotency;
using Conversations.ApiHost.Streaming;
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
        var turnRequest = TurnSettings.ForMessage(Grains.IdGenerator.New(Core.Responses.ResponseIds.Prefix), send);
        if (!send.Stream)
        {
            var answer = await grain.Send(user.UserId(), turnRequest, idempotency, aborted);
            return answer.Match<IResult>(
                response => TypedResults.Json(WireObjects.Completion(response), WireJson.Api.ChatCompletionObject),
                error => Problems.Of(error, id));
        }

        var taken = await StreamSlot.Take(users.For(user.UserId()));
        if (taken.TryPickT1(out var tooMany, out var slot))
        {
            return tooMany;
        }

        await using (slot)
        {
            var turn = grain.Stream(user.UserId(), turnRequest, idempotency, aborted).WithBatchSize(options.Value.StreamBatchSize);
            var opened = await TurnStream.Open(turn, id, drain.Ended, request.HttpContext);
            return opened.Match(
                turn => ServerEvents.Stream(Chunks(turn, id), slot, request.HttpContext.Response),
                refused => (IResult)refused);
        }
    }

    /// <summary>
    /// The turn's events as Chat Completions chunks. The reply is stored and the turn released before
    /// the grain reports <see cref="TurnEvent.Completed"/>, so <c>[DONE]</c> promises both.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<byte[]>> Chunks(TurnStream turn, string conversationId)
    {
        var (id, created, model) = (turn.Started.CompletionId, turn.Started.Created.ToUnixTimeSeconds(), turn.Started.Model);
        yield return Chunk(WireObjects.RoleChunk(id, created, model));
        await foreach (var read in turn.Events.RestAsync())
        {
            switch (read)
            {
                case GrainRead<TurnEvent>.Event { Value: TurnEvent.Delta delta }:
                    yield return Chunk(WireObjects.ContentChunk(id, created, model, delta.Content));
                    break;
                case GrainRead<TurnEvent>.Event { Value: TurnEvent.RefusalDelta refusal }:
                    // A chat turn has one content to show: a refusal is shown as it.
                    yield return Chunk(WireObjects.ContentChunk(id, created, model, refusal.Text));
                    break;
                case GrainRead<TurnEvent>.Event { Value: TurnEvent.Completed completed }:
                    yield return Chunk(WireObjects.FinishChunk(id, created, model, Core.Responses.TurnResponses.Reply(completed.Response)?.FinishReason ?? ""));
                    yield return Chunk(WireObjects.UsageChunk(id, created, model, completed.Response.Usage ?? Core.Messages.TokenUsage.Zero));
                    yield return ServerEvents.Done;
                    yield break;
                case GrainRead<TurnEvent>.Event { Value: TurnEvent.Failed failed }:
                    yield return ServerEvents.Error(ApiErrors.From(failed.Error, conversationId));
                    yield break;
                case GrainRead<TurnEvent>.SiloLost:
                    yield return ServerEvents.Error(ClusterFailures.Unavailable());
                    yield break;
                case GrainRead<TurnEvent>.Drained:
                    // Ending the grain's stream keeps the partial reply, as for a client that left.
                    yield return ServerEvents.Error(ApiErrors.ShuttingDown());
                    yield break;
            }
        }
    }

    private static SseItem<byte[]> Chunk(ChunkObject chunk) => ServerEvents.Data(chunk, WireJson.Api.ChunkObject);
}
