using System.Security.Claims;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Idempotency;
using Conversations.ApiHost.Limits;
using Conversations.ApiHost.Streaming;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Errors;
using Conversations.Core.Requests;
using Conversations.Core.Upstream;
using Conversations.Core.Wire;
using Conversations.Upstream;
using OneOf;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>
/// <c>POST /v1/chat/completions</c>, stateless: the client's request goes to the upstream as it is
/// (only <c>model</c> may be mapped through the alias table), and the upstream's answer comes back as
/// it is — status, body, request id, rate limit headers, and a stream event by event. The service adds
/// the caller's key, limits and usage accounting, and keeps the provider key to itself.
/// </summary>
public static class ChatCompletionsEndpoint
{
    /// <summary>The route as an idempotency key's request hash names it.</summary>
    private const string Route = "POST /v1/chat/completions";

    public static RouteGroupBuilder MapChatCompletions(this RouteGroupBuilder v1)
    {
        // Besides its own refusals, the route relays the upstream's answer with its status, whatever it is.
        v1.MapPost("/chat/completions", Complete)
            .WithTags("Chat Completions")
            .RequireAuthorization(ApiKeyAuthentication.UserPolicy)
            .WithMetadata(CallsUpstream.Instance)
            .WithName("CreateChatCompletion")
            .WithSummary("Create a chat completion (stateless, relayed to the upstream)")
            .WithDescription("OpenAI's Chat Completions: the request goes to the upstream as sent (only the model may be mapped through the alias table) and its answer comes back as sent, streamed event by event with \"stream\": true.")
            .AcceptsJson<ChatCompletionBody>()
            .Produces<ChatCompletionObject>()
            .ProducesEventStream<ChunkObject>("With \"stream\": true, the upstream's chat.completion.chunk events as it sent them, then data: [DONE]")
            .ProducesErrors(400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504);
        return v1;
    }

    private static async Task<IResult> Complete(HttpContext context, ClaimsPrincipal user, [AsParameters] StatelessServices services)
    {
        var read = await Read(context.Request, services.Options.Value.MaxRequestBodyBytes);
        if (read.TryPickT1(out var invalid, out var request))
        {
            return invalid;
        }

        var claimed = await IdempotentCall.Claim(services.Grains, user.UserId(), request.Key);
        if (claimed.TryPickT1(out var answered, out var idempotent))
        {
            return answered;
        }

        // The key is kept only with a success; however else this ends, it is free again for a retry.
        await using (idempotent)
        {
            return await Answer(context, user.UserId(), request, idempotent, services);
        }
    }

    /// <summary>
    /// The call the request asks for, or why it cannot be made. The checks keep this order: the body's
    /// size, the few fields the service acts on, then the <c>Idempotency-Key</c> header.
    /// </summary>
    private static async Task<OneOf<StatelessRequest, ErrorResult>> Read(HttpRequest request, long limit)
    {
        var read = await RequestBody.ReadBytes(request, limit, request.HttpContext.RequestAborted);
        if (read.TryPickT1(out var tooLarge, out var body))
        {
            return tooLarge;
        }

        var inspected = ChatCompletionsRequests.Inspect(body.Span);
        if (inspected.TryPickT1(out var invalid, out var call))
        {
            return Problems.Of(invalid);
        }

        return IdempotencyHeader.Read(request, Route, body.Span).Match<OneOf<StatelessRequest, ErrorResult>>(
            key => new StatelessRequest(body, call, key),
            badKey => badKey);
    }

    /// <summary>The answer from the upstream, or from the offline model; a stream holds one of the user's stream slots.</summary>
    private static async Task<IResult> Answer(HttpContext context, string userId, StatelessRequest request, IdempotentCall? idempotent, StatelessServices services)
    {
        var (body, call, _) = request;
        var userGrain = services.Users.For(userId);
        var stateless = new StatelessCall(
            context, body, call, services.Options.Value.ModelAliases.Resolve(call.Model), new UsageMeter(body, services.Tokens, userGrain, Metrics.TurnMeter.Of(context)), idempotent);
        StreamSlot? slot = null;
        if (call.Stream)
        {
            var taken = await StreamSlot.Take(userGrain);
            if (taken.TryPickT1(out var tooMany, out slot))
            {
                return tooMany;
            }
        }

        await using (slot)
        {
            // The offline model is for trying the service out; its answers are not kept for replay.
            return services.Router.GoesUpstream(stateless.UpstreamModel)
                ? await Relay(stateless, services.Relay, services.UpstreamOptions.Value, services.Time, services.Drain.Ended, slot)
                : await OfflineAnswer.Answer(context, services.Router, body, call with { Model = stateless.UpstreamModel }, stateless.Meter, slot);
        }
    }

    /// <summary>The upstream's answer: relayed whole, or as a stream event by event.</summary>
    private static async Task<IResult> Relay(
        StatelessCall stateless, UpstreamRelay relay, UpstreamOptions upstreamOptions, TimeProvider time, CancellationToken drained, StreamSlot? slot)
    {
        var (context, body, call, upstreamModel, meter, idempotent) = stateless;
        var aborted = context.RequestAborted;
        var sent = await relay.SendChatAsync(ChatCompletionsRequests.ForUpstream(body, call, upstreamModel), call.Stream, aborted);
        if (sent.TryPickT1(out var unreachable, out var response))
        {
            return Problems.Of(ApiErrors.From(unreachable));
        }

        if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            // About the service's provider key, not the caller's: relayed, it would blame the caller's key
            // and show part of ours (OpenAI quotes it masked). A gateway fault, as on the conversation route.
            response.Dispose();
            return Problems.Of(ApiErrors.From(new UpstreamError.Unauthorized($"the upstream answered HTTP {(int)response.StatusCode}")));
        }

        UpstreamHeaders.CopyTo(response, context.Response);
        if (slot is not null && response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            // Disposed by the stream as it ends, or with the response if the stream is never read.
            context.Response.RegisterForDispose(response);
            var events = StreamRelay.Events(response, call, meter, upstreamOptions.StreamIdleTimeout, drained, aborted);
            return ServerEvents.Stream(idempotent is null ? events : idempotent.Recording(events, context.Response, ServerEvents.IsDone), slot, context.Response);
        }

        using (response)
        {
            var read = await UpstreamBody.ReadAsync(response, upstreamOptions.StreamIdleTimeout, time, aborted);
            if (read.TryPickT1(out var unread, out var answer))
            {
                return Problems.Of(ApiErrors.From(unread));
            }

            var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            if ((int)response.StatusCode >= 500)
            {
                // The service has retried this already; the SDK retrying too would only multiply the load.
                context.Response.Headers["x-should-retry"] = "false";
            }

            if (response.IsSuccessStatusCode)
            {
                meter.Completed(answer);
                if (idempotent is not null)
                {
                    await idempotent.Keep(context.Response, (int)response.StatusCode, contentType, answer);
                }
            }

            return new RelayedBody((int)response.StatusCode, contentType, answer);
        }
    }

    /// <summary>A request to this route as read: its body, the fields the service acts on, and its idempotency key.</summary>
    private sealed record StatelessRequest(ReadOnlyMemory<byte> Body, ChatCompletionsCall Call, IdempotencyKey? Key);

    /// <summary>One call on this route, as read from its request.</summary>
    /// <param name="UpstreamModel">The model the upstream is asked for, after the alias table.</param>
    private sealed record StatelessCall(
        HttpContext Context, ReadOnlyMemory<byte> Body, ChatCompletionsCall Call, string UpstreamModel, UsageMeter Meter, IdempotentCall? Idempotent);

    /// <summary>The upstream's non-streamed answer, byte for byte, with its status and content type.</summary>
    private sealed class RelayedBody(int status, string contentType, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = body.Length;
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }
}
