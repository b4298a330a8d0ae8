using System.Security.Claims;
using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Http;
using Conversations.ApiHost.Idempotency;
using Conversations.ApiHost.Limits;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Errors;
using Conversations.Core.Upstream;
using Conversations.Core.Users;
using Conversations.Core.Wire;
using Conversations.Upstream;
using System.Net.ServerSentEvents;
using OneOf;
using Microsoft.Extensions.Options;

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
        v1.MapPost("/chat/completions", Complete)
            .RequireAuthorization(ApiKeyAuthentication.UserPolicy)
            .WithMetadata(CallsUpstream.Instance);
        return v1;
    }

    private static async Task<IResult> Complete(
        HttpContext context,
        ClaimsPrincipal user,
        UpstreamRouter router,
        UpstreamRelay relay,
        IGrainFactory grains,
        GrainReferences<IUserGrain> users,
        ITokenCounter tokens,
        IOptions<ApiHostOptions> options,
        IOptions<UpstreamOptions> upstreamOptions,
        TimeProvider time,
        Lifecycle.ShutdownDrain drain)
    {
        var aborted = context.RequestAborted;
        var read = await RequestBody.ReadBytes(context.Request, options.Value.MaxRequestBodyBytes, aborted);
        if (read.TryPickT1(out var tooLarge, out var body))
        {
            return tooLarge;
        }

        var inspected = ChatCompletionsRequests.Inspect(body.Span);
        if (inspected.TryPickT1(out var invalid, out var call))
        {
            return Problems.Of(invalid);
        }

        var header = IdempotencyHeader.Read(context.Request, Route, body.Span);
        if (header.TryPickT1(out var badKey, out var key))
        {
            return badKey;
        }

        IdempotentCall? idempotent = null;
        if (key is not null)
        {
            var claimed = await IdempotentCall.Begin(grains, user.UserId(), key);
            if (claimed.TryPickT1(out var answered, out idempotent))
            {
                return answered;
            }
        }

        try
        {
            return await Forward(context, router, relay, users.For(user.UserId()), tokens, options.Value, upstreamOptions.Value, time, body, call, idempotent, drain.Ended);
        }
        finally
        {
            // Kept if it succeeded (a stream keeps itself once its [DONE] is out); otherwise free for a retry.
            if (idempotent is not null && !call.Stream)
            {
                idempotent.Release();
            }
        }
    }

    private static async Task<IResult> Forward(
        HttpContext context,
        UpstreamRouter router,
        UpstreamRelay relay,
        IUserGrain userGrain,
        ITokenCounter tokens,
        ApiHostOptions options,
        UpstreamOptions upstreamOptions,
        TimeProvider time,
        ReadOnlyMemory<byte> body,
        ChatCompletionsCall call,
        IdempotentCall? idempotent,
        CancellationToken drained)
    {
        var meter = new UsageMeter(body, tokens, userGrain);
        var upstreamModel = options.ModelAliases.Resolve(call.Model);
        if (!router.GoesUpstream(upstreamModel))
        {
            // The offline model is for trying the service out; its answers are not kept for replay.
            idempotent?.Release();
            return await OfflineAnswer.Answer(context, router, body, call with { Model = upstreamModel }, meter);
        }

        StreamLease.Granted? lease = null;
        if (call.Stream)
        {
            var slot = await StreamSlots.Take(userGrain);
            if (slot.TryPickT1(out var tooMany, out var granted))
            {
                idempotent?.Release();
                return tooMany;
            }

            lease = granted;
        }

        var handedOver = false;
        try
        {
            var relayed = await Relay(context, relay, body, call, upstreamModel, meter, upstreamOptions, time, idempotent, drained);
            if (relayed.TryPickT1(out var events, out var answer))
            {
                handedOver = lease is not null;
                return TypedResults.ServerSentEvents(lease is null ? events : StreamSlots.Holding(events, userGrain, lease));
            }

            return answer;
        }
        finally
        {
            if (lease is not null && !handedOver)
            {
                await userGrain.ReleaseStream(lease.LeaseId);
            }
        }
    }

    /// <summary>The upstream's whole answer as a result, or its stream of events to relay.</summary>
    private static async Task<OneOf<IResult, IAsyncEnumerable<SseItem<byte[]>>>> Relay(
        HttpContext context,
        UpstreamRelay relay,
        ReadOnlyMemory<byte> body,
        ChatCompletionsCall call,
        string upstreamModel,
        UsageMeter meter,
        UpstreamOptions upstreamOptions,
        TimeProvider time,
        IdempotentCall? idempotent,
        CancellationToken drained)
    {
        var aborted = context.RequestAborted;
        var sent = await relay.SendChatAsync(ChatCompletionsRequests.ForUpstream(body, call, upstreamModel), call.Stream, aborted);
        if (sent.TryPickT1(out var unreachable, out var response))
        {
            idempotent?.Release();
            return Problems.Of(ApiErrors.From(unreachable));
        }

        if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            // About the service's provider key, not the caller's: relayed, it would blame the caller's key
            // and show part of ours (OpenAI quotes it masked). A gateway fault, as on the conversation route.
            response.Dispose();
            idempotent?.Release();
            return Problems.Of(ApiErrors.From(new UpstreamError.Unauthorized($"the upstream answered HTTP {(int)response.StatusCode}")));
        }

        UpstreamHeaders.CopyTo(response, context.Response);
        if (call.Stream && response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var events = StreamRelay.Events(response, call, meter, upstreamOptions.StreamIdleTimeout, drained, aborted);
            return OneOf<IResult, IAsyncEnumerable<SseItem<byte[]>>>.FromT1(idempotent is null ? events : idempotent.Recording(events, context.Response));
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
