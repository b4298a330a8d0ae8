using System.Net.ServerSentEvents;
using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Idempotency;
using Conversations.ApiHost.Streaming;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using Conversations.Core.Wire;
using OneOf;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// <c>POST /v1/conversations/{id}/messages</c>: one turn, answered as a <c>chat.completion</c>, or with
/// <c>stream: true</c> as Chat Completions' server-sent events ending in <c>data: [DONE]</c>.
/// </summary>
public static class TurnEndpoint
{
    public static async Task<IResult> Send(string id, HttpRequest request, ClaimsPrincipal user, [AsParameters] TurnServices services)
    {
        var read = await Read(id, request, services.Options.Value.MaxRequestBodyBytes);
        if (read.TryPickT1(out var invalid, out var turn))
        {
            return invalid;
        }

        return turn.Send.Stream
            ? await Stream(id, turn, user.UserId(), services, request.HttpContext)
            : await Answer(id, turn, user.UserId(), services, request.HttpContext);
    }

    /// <summary>
    /// The turn the request asks for, or why it cannot run. The checks keep this order: the body's size,
    /// its JSON, the <c>Idempotency-Key</c> header (whose hash covers the body), then the fields.
    /// </summary>
    private static async Task<OneOf<MessageTurn, ErrorResult>> Read(string id, HttpRequest request, long limit)
    {
        var read = await RequestBody.ReadBytes(request, limit, request.HttpContext.RequestAborted);
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

        return ConversationRequests.ParseSend(element).Match<OneOf<MessageTurn, ErrorResult>>(
            send => new MessageTurn(send, idempotency),
            invalid => Problems.Of(invalid));
    }

    /// <summary>The whole reply as one <c>chat.completion</c>.</summary>
    private static async Task<IResult> Answer(
        string id, MessageTurn turn, string userId, TurnServices services, HttpContext context)
    {
        var conversation = services.Conversations.For(id);
        var answer = await WatchedCall.Run(
            aborted => conversation.Send(userId, turn.Request, turn.Idempotency, aborted),
            checking => conversation.IsAnswering(turn.Request.ResponseId, checking),
            services.Options.Value.TurnCheckInterval, context.RequestAborted);
        Metrics.TurnMeter.Of(context)?.Answered(answer);
        return answer.Match<IResult>(
            response => TypedResults.Ok(WireObjects.Completion(response)),
            error => Problems.Of(error, id));
    }

    /// <summary>The reply as Chat Completions' server-sent events, holding one of the user's stream slots.</summary>
    private static async Task<IResult> Stream(string id, MessageTurn turn, string userId, TurnServices services, HttpContext context)
    {
        var taken = await StreamSlot.Take(services.Users.For(userId));
        if (taken.TryPickT1(out var tooMany, out var slot))
        {
            return tooMany;
        }

        await using (slot)
        {
            var events = services.Conversations.For(id)
                .Stream(userId, turn.Request, turn.Idempotency, context.RequestAborted)
                .WithBatchSize(services.Options.Value.StreamBatchSize);
            var opened = await TurnStream.Open(events, id, services.Drain.Ended, context);
            return opened.Match(
                stream => ServerEvents.Stream(Chunks(stream, id), slot, context.Response),
                refused => (IResult)refused);
        }
    }

    /// <summary>A turn as read from its request: the message with this turn's overrides, and its idempotency key.</summary>
    /// <summary>A turn as read from the request: the message, and the key it came with.</summary>
    private sealed record MessageTurn(SendMessage Send, IdempotencyKey? Idempotency)
    {
        /// <summary>The turn as the conversation runs it: a chat turn, whose response is not kept.</summary>
        public Core.Conversations.TurnRequest Request { get; } = TurnSettings.ForMessage(Grains.IdGenerator.New(Core.Responses.ResponseIds.Prefix), Send);
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
