using System.Text.Json;
using System.Net.ServerSentEvents;
using System.Security.Claims;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Idempotency;
using Conversations.ApiHost.Lifecycle;
using Conversations.ApiHost.Limits;
using Conversations.ApiHost.Streaming;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Core.Wire;
using Conversations.Core.Wire.Responses;
using Conversations.Grains;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OneOf;

namespace Conversations.ApiHost.Responses;

/// <summary>
/// OpenAI's Responses API: <c>POST /v1/responses</c> runs a turn — in its conversation's grain when it
/// names one, else in its own response grain (a chain through <c>previous_response_id</c>, or a response on
/// its own) — and answers with the Response object, or streams it as Responses events; the other routes
/// read and delete stored responses.
/// </summary>
public static class ResponsesEndpoints
{
    public static RouteGroupBuilder MapResponses(this RouteGroupBuilder v1)
    {
        var responses = v1.MapGroup("/responses")
            .WithTags("Responses")
            .RequireAuthorization(ApiKeyAuthentication.UserPolicy)
            .ProducesErrors(401, 403, 500, 503);
        responses.MapPost("", Create)
            .WithName("CreateResponse")
            .WithSummary("Create a response: one turn, on a conversation, a chain of responses, or on its own")
            .WithMetadata(CallsUpstream.Instance)
            .AcceptsJson<CreateResponseBody>()
            .Produces<ResponseObject>()
            .ProducesEventStream<ResponseStreamEvent>("With \"stream\": true, Responses events (event: and data: lines), ending with response.completed, response.incomplete or response.failed")
            .ProducesErrors(400, 404, 409, 413, 422, 429, 502, 504);

        // Counting calls no model, so it holds no rate-limit slot.
        responses.MapPost("/input_tokens", InputTokens)
            .WithName("CountResponseInputTokens")
            .WithSummary("Count the input tokens a response would have (its conversation or chain included, fitted as its truncation says) without calling the model")
            .AcceptsJson<CreateResponseBody>()
            .ProducesErrors(400, 404, 413);

        responses.MapPost("/compact", Compact)
            .WithName("CompactResponse")
            .WithSummary("Compact a conversation, a chain of responses or input items into one compaction item, which stands for them from then on")
            .WithMetadata(CallsUpstream.Instance)
            .AcceptsJson<CompactResponseBody>()
            .ProducesErrors(400, 404, 409, 413, 429, 502, 504);

        var response = responses.MapGroup("/{id}")
            .RequireWellFormedId("id", ResponseIds.Prefix, "response_id")
            .ProducesErrors(404);
        response.MapGet("", Get)
            .WithName("GetResponse")
            .WithSummary("Get a stored response, or a background one as far as it has got; with stream=true, its events after starting_after, following a running one to its end")
            .Produces<ResponseObject>()
            .ProducesEventStream<ResponseStreamEvent>("With stream=true, the response's events after starting_after; for one running in the background, then each as it comes until its last");
        response.MapDelete("", Delete)
            .WithName("DeleteResponse")
            .WithSummary("Delete a stored response (a conversation's items stay)");
        response.MapGet("/input_items", InputItems)
            .WithName("ListResponseInputItems")
            .WithSummary("List a response's input items, newest first");
        response.MapPost("/cancel", Cancel)
            .WithName("CancelResponse")
            .WithSummary("Cancel a response running in the background: its upstream request stops and what arrived is kept, as a cancelled response")
            .Produces<ResponseObject>()
            .ProducesErrors(400);
        return v1;
    }

    private static async Task<IResult> Create(
        HttpRequest request,
        ClaimsPrincipal user,
        GrainReferences<IConversationGrain> conversations,
        GrainReferences<IUserGrain> users,
        IGrainFactory grains,
        IOptions<ApiHostOptions> options,
        ShutdownDrain drain)
    {
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

        var parsed = ResponseRequests.ParseCreate(element);
        if (parsed.TryPickT1(out var invalid, out var create))
        {
            return Problems.Of(invalid);
        }

        var header = IdempotencyHeader.Read(request, "POST /v1/responses", bytes.Span);
        if (header.TryPickT1(out var badKey, out var idempotency))
        {
            return badKey;
        }

        // Without a key of the client's, a turn on a conversation is still protected from an SDK's automatic
        // retry (the SDKs send none): every such turn is remembered, and a retry the SDK marks as one that
        // repeats the turn just made gets that turn again instead of a second.
        if (idempotency is null && create.ConversationId is not null)
        {
            idempotency = IdempotencyKey.Retry("POST /v1/responses", bytes.Span, IdempotencyKey.SaysRetry(request.Headers[IdempotencyKey.RetryCountHeader]));
        }

        var owner = user.UserId();
        var turn = new TurnRequest(
            IdGenerator.New(ResponseIds.Prefix), create.Input, create.Model, create.Settings, create.Store, create.Background, create.PreviousResponseId)
        {
            CompactThreshold = create.CompactThreshold,
        };
        if (create.ConversationId is { } conversationId)
        {
            // The conversation's grain keeps its keys with its turns, atomically.
            return await OnConversation(conversations.For(conversationId), owner, turn, create.Stream, idempotency, request.HttpContext, users, options.Value, drain);
        }

        // Off a conversation there is no turn record to keep a key with: the answer itself is kept, as sent.
        var claimed = await IdempotentCall.Claim(grains, owner, idempotency);
        if (claimed.TryPickT1(out var answered, out var keyed))
        {
            return answered;
        }

        await using (keyed)
        {
            return await OnItsOwn(grains.GetGrain<IResponseGrain>(turn.ResponseId), owner, turn, create.Stream, keyed, request.HttpContext, users, options.Value, drain);
        }
    }

    private static async Task<IResult> OnConversation(
        IConversationGrain conversation, string owner, TurnRequest turn, bool stream, IdempotencyKey? idempotency,
        HttpContext context, GrainReferences<IUserGrain> users, ApiHostOptions options, ShutdownDrain drain)
    {
        var subject = conversation.GetPrimaryKeyString();
        if (!stream)
        {
            var answer = await WatchedCall.Run(
                aborted => conversation.Send(owner, turn, idempotency, aborted),
                checking => conversation.IsAnswering(turn.ResponseId, checking),
                options.TurnCheckInterval, context.RequestAborted);
            Metrics.TurnMeter.Of(context)?.Answered(answer);
            return answer.Match<IResult>(
                response => TypedResults.Ok(ResponseWire.Response(response)),
                error => Problems.Of(error, subject));
        }

        return await Streamed(conversation.Stream(owner, turn, idempotency, context.RequestAborted), subject, null, context, users, owner, options, drain, turn.Background);
    }

    private static async Task<IResult> OnItsOwn(
        IResponseGrain grain, string owner, TurnRequest turn, bool stream, IdempotentCall? keyed,
        HttpContext context, GrainReferences<IUserGrain> users, ApiHostOptions options, ShutdownDrain drain)
    {
        if (stream)
        {
            return await Streamed(grain.Stream(owner, turn, context.RequestAborted), turn.ResponseId, keyed, context, users, owner, options, drain, turn.Background);
        }

        var answer = await WatchedCall.Run(
            aborted => grain.Create(owner, turn, aborted), grain.IsAnswering, options.TurnCheckInterval, context.RequestAborted);
        Metrics.TurnMeter.Of(context)?.Answered(answer);
        if (answer.TryPickT1(out var error, out var response))
        {
            return Problems.Of(error, turn.ResponseId);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(ResponseWire.Response(response), WireJson.Api.ResponseObject);
        if (keyed is not null)
        {
            await keyed.Keep(context.Response, 200, "application/json", body);
        }

        return TypedResults.Bytes(body, "application/json");
    }

    /// <summary>
    /// A turn's events as Responses events, holding one of the user's stream slots; kept as sent under a key when
    /// <paramref name="keyed"/>. A turn in the background holds its own place while it runs (however many
    /// follow it), so following it takes none.
    /// </summary>
    private static async Task<IResult> Streamed(
        IAsyncEnumerable<TurnEvent> turnEvents, string subject, IdempotentCall? keyed,
        HttpContext context, GrainReferences<IUserGrain> users, string owner, ApiHostOptions options, ShutdownDrain drain, bool background = false)
    {
        if (background)
        {
            return await Followed(turnEvents, subject, -1, keyed, context, options, drain);
        }

        var taken = await StreamSlot.Take(users.For(owner));
        if (taken.TryPickT1(out var tooMany, out var slot))
        {
            return tooMany;
        }

        await using (slot)
        {
            var opened = await TurnStream.Open(turnEvents.WithBatchSize(options.StreamBatchSize), subject, drain.Ended, context);
            return opened.Match(
                stream =>
                {
                    var events = Events(stream, subject).Select(Event);
                    return ServerEvents.Stream(keyed is null ? events : keyed.Recording(events, context.Response, IsSuccessfulEnd), slot, context.Response);
                },
                refused => (IResult)refused);
        }
    }

    /// <summary>The last event of a stream worth keeping for a repeat: a failed one is run again instead.</summary>
    private static bool IsSuccessfulEnd(SseItem<byte[]> item) => item.EventType is "response.completed" or "response.incomplete";

    private static async Task<IResult> Get(string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<ApiHostOptions> options, ShutdownDrain drain)
    {
        var streamed = request.Query["stream"].ToString() is "true";
        var startingAfter = -1;
        if (request.Query["starting_after"] is [{ } after] && (!int.TryParse(after, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out startingAfter)))
        {
            return Problems.Of(new ValidationError($"'starting_after' must be a sequence number, but got '{after}'.", "starting_after", "invalid_value"));
        }

        var found = await grains.GetGrain<IResponseGrain>(id).Get(user.UserId());
        if (found.TryPickT1(out var missing, out var response))
        {
            return Problems.Of(missing, id);
        }

        if (!streamed)
        {
            return TypedResults.Ok(ResponseWire.Response(response));
        }

        if (TurnResponses.IsRunning(response))
        {
            // Running in the background, in a grain somewhere in the cluster: followed there from its first event,
            // numbered as the run numbers them, so a client resuming on any host gets exactly the rest.
            return await Followed(grains.GetGrain<IResponseGrain>(id).Follow(user.UserId(), request.HttpContext.RequestAborted), id, startingAfter, null, request.HttpContext, options.Value, drain);
        }

        // The stream a finished response made, made again; the SDKs resume after the last event they saw.
        var replay = ResponseStream.Replay(response).Where(e => e.SequenceNumber > startingAfter).Select(Event);
        return TypedResults.ServerSentEvents(replay.ToAsyncEnumerable());
    }

    private static async Task<Results<Ok<DeletedObject>, ErrorResult>> Delete(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var deleted = await grains.GetGrain<IResponseGrain>(id).Delete(user.UserId());
        return deleted.Match<Results<Ok<DeletedObject>, ErrorResult>>(
            response => TypedResults.Ok(ResponseWire.Deleted(response.Id)),
            error => Problems.Of(error, id));
    }

    private static async Task<Results<Ok<ListObject<ItemObject>>, ErrorResult>> InputItems(
        string id, string? limit, string? order, string? after, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (ItemQuery.Page(limit, order, after, request).TryPickT1(out var invalid, out var page))
        {
            return invalid;
        }

        var items = await grains.GetGrain<IResponseGrain>(id).InputItems(user.UserId(), page);
        return items.Match<Results<Ok<ListObject<ItemObject>>, ErrorResult>>(
            found => TypedResults.Ok(WireObjects.List(found.Items.Select(ItemWire.Of).ToList(), item => item.Id, found.HasMore)),
            error => Problems.Of(error, id));
    }

    /// <summary>
    /// <c>POST /v1/responses/input_tokens</c>: any body <c>POST /v1/responses</c> accepts, counted where its
    /// context lives (a conversation's grain, or a chain read from the store); refused as that route would
    /// refuse it.
    /// </summary>
    private static async Task<Results<Ok<InputTokensObject>, ErrorResult>> InputTokens(
        HttpRequest request, ClaimsPrincipal user, GrainReferences<IConversationGrain> conversations, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        var read = await RequestBody.Read(request, options.Value.MaxRequestBodyBytes, ResponseRequests.ParseCreate);
        if (read.TryPickT1(out var invalid, out var create))
        {
            return invalid;
        }

        var owner = user.UserId();
        var turn = new TurnRequest("", create.Input, create.Model, create.Settings, create.Store, create.Background, create.PreviousResponseId);
        var counted = create.ConversationId is { } conversationId
            ? await conversations.For(conversationId).CountInputTokens(owner, turn)
            : await grains.GetGrain<IInputTokensGrain>(0).Count(owner, turn);
        return counted.Match<Results<Ok<InputTokensObject>, ErrorResult>>(
            tokens => TypedResults.Ok(ResponseWire.InputTokens(tokens)),
            error => Problems.Of(error, create.ConversationId ?? create.PreviousResponseId ?? ""));
    }

    /// <summary>
    /// <c>POST /v1/responses/compact</c>: a conversation is compacted in its grain (kept among its items, as one of
    /// its turns); a chain or input items anywhere, kept nowhere.
    /// </summary>
    private static async Task<Results<Ok<CompactionObject>, ErrorResult>> Compact(
        HttpRequest request, ClaimsPrincipal user, GrainReferences<IConversationGrain> conversations, IGrainFactory grains, IOptions<ApiHostOptions> options)
    {
        var id = IdGenerator.New(Core.Items.ItemIds.CompactionPrefix);
        var read = await RequestBody.Read(request, options.Value.MaxRequestBodyBytes, body => ResponseRequests.ParseCompact(body, id));
        if (read.TryPickT1(out var invalid, out var compact))
        {
            return invalid;
        }

        var owner = user.UserId();
        var aborted = request.HttpContext.RequestAborted;
        var compacted = compact.ConversationId is { } conversationId
            ? await WatchedCall.Run(
                token => conversations.For(conversationId).Compact(owner, compact, token),
                checking => conversations.For(conversationId).IsAnswering(compact.Id, checking),
                options.Value.TurnCheckInterval, aborted)
            : await grains.GetGrain<ICompactionGrain>(0).Compact(owner, compact, aborted);
        return compacted.Match<Results<Ok<CompactionObject>, ErrorResult>>(
            result => TypedResults.Ok(ResponseWire.Compaction(result)),
            error => Problems.Of(error, compact.ConversationId ?? compact.PreviousResponseId ?? ""));
    }

    /// <summary>
    /// Cancels a response running in the background: its upstream request stops, what arrived is kept, and it is
    /// answered as stored, <c>cancelled</c>. A finished one is answered as it is; only a response created in the
    /// background can be cancelled, as OpenAI answers.
    /// </summary>
    private static async Task<Results<Ok<ResponseObject>, ErrorResult>> Cancel(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IResponseGrain>(id);
        var found = await grain.Get(user.UserId());
        if (found.TryPickT1(out var missing, out var response))
        {
            return Problems.Of(missing, id);
        }

        if (!response.Background)
        {
            return Problems.Of(new ApiError(400, ApiErrors.InvalidRequest, "not_cancellable", "Cannot cancel a response that was not created in the background.", null));
        }

        var cancelled = TurnResponses.IsRunning(response) ? await grain.Cancel(user.UserId()) : response;
        return cancelled.Match<Results<Ok<ResponseObject>, ErrorResult>>(
            ended => TypedResults.Ok(ResponseWire.Response(ended)),
            error => Problems.Of(error, id));
    }

    /// <summary>
    /// A turn running in the background, followed: its events from the first, numbered as every follower numbers
    /// them, sent from after <paramref name="startingAfter"/> (kept as sent under a key when <paramref name="keyed"/>).
    /// Leaving stops only this follower.
    /// </summary>
    private static async Task<IResult> Followed(
        IAsyncEnumerable<TurnEvent> turnEvents, string subject, int startingAfter, IdempotentCall? keyed, HttpContext context, ApiHostOptions options, ShutdownDrain drain)
    {
        var opened = await TurnStream.Open(turnEvents.WithBatchSize(options.StreamBatchSize), subject, drain.Ended, context);
        return opened.Match(
            stream =>
            {
                var events = Events(stream, subject).Where(e => e.SequenceNumber > startingAfter).Select(Event);
                return ServerEvents.Stream(keyed is null ? events : keyed.Recording(events, context.Response, IsSuccessfulEnd), context.Response);
            },
            refused => (IResult)refused);
    }

    /// <summary>
    /// The turn as Responses events: the response's creation, its output item by item, then exactly one
    /// terminal event (<c>response.completed</c>, <c>response.incomplete</c>, or an <c>error</c> event and
    /// <c>response.failed</c>). No <c>[DONE]</c>: the Responses API sends none.
    /// </summary>
    private static async IAsyncEnumerable<ResponseStreamEvent> Events(TurnStream turn, string subject)
    {
        var step = ResponseStream.Start(turn.Started.Response!);
        foreach (var started in step.Events)
        {
            yield return started;
        }

        var state = step.State;
        await foreach (var read in turn.Events.RestAsync())
        {
            step = read switch
            {
                GrainRead<TurnEvent>.Event { Value: TurnEvent.Completed completed } => ResponseStream.Finish(state, completed.Response),
                GrainRead<TurnEvent>.Event { Value: TurnEvent.Failed { Response: { Status: ResponseStatus.Incomplete or ResponseStatus.Cancelled } cut } } => ResponseStream.Finish(state, cut),
                GrainRead<TurnEvent>.Event { Value: TurnEvent.Failed failed } => ResponseStream.Fail(state, failed.Response, ApiErrors.From(failed.Error, subject)),
                GrainRead<TurnEvent>.Event { Value: var progress } => ResponseStream.Step(state, progress),
                GrainRead<TurnEvent>.SiloLost => ResponseStream.Fail(state, null, ClusterFailures.Unavailable()),
                _ => ResponseStream.Fail(state, null, ApiErrors.ShuttingDown()),
            };
            state = step.State;
            foreach (var next in step.Events)
            {
                yield return next;
            }

            if (read is not GrainRead<TurnEvent>.Event { Value: not (TurnEvent.Completed or TurnEvent.Failed) })
            {
                yield break;
            }
        }
    }

    private static SseItem<byte[]> Event(ResponseStreamEvent streamEvent) =>
        ServerEvents.Named(streamEvent.EventType, streamEvent, WireJson.Api.ResponseStreamEvent);
}
