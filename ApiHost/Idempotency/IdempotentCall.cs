using System.Buffers;
using System.Collections.Immutable;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Idempotency;
using Conversations.Abstractions.Storage;
using Conversations.ApiHost.Errors;
using Conversations.ApiHost.Streaming;
using Conversations.Core.Errors;
using Conversations.Core.Idempotency;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.ApiHost.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> of a call whose answer is kept as sent (a stateless chat completion, or a
/// response off a conversation, which no conversation's own key records cover): claimed before the upstream is called, then either kept
/// with the successful response (which a repeat within 24 hours gets again, byte for byte, without
/// calling the upstream) or released so a retry runs the call again. Hold it with <c>await using</c>:
/// however the call ends without keeping it, the key is released, once; a stream handed
/// <see cref="Recording"/> settles it itself.
/// </summary>
public sealed class IdempotentCall : IAsyncDisposable
{
    private static readonly string[] KeptHeaders = ["x-request-id", "openai-processing-ms"];

    /// <summary>Answers larger than this are not kept (a repeat then runs again): keys must not pin unbounded storage.</summary>
    public const int MaxKeptBytes = 4 * 1024 * 1024;
    private readonly IIdempotencyGrain _grain;
    private readonly string _requestHash;
    private bool _handedOver;
    private int _settled;

    private IdempotentCall(IIdempotencyGrain grain, string requestHash)
    {
        _grain = grain;
        _requestHash = requestHash;
    }

    /// <summary>No key: nothing to claim (null). A key: the call to settle, or the answer to give instead (a replay or a refusal).</summary>
    public static async Task<OneOf<IdempotentCall?, IResult>> Claim(IGrainFactory grains, string userId, IdempotencyKey? key)
    {
        if (key is null)
        {
            return (IdempotentCall?)null;
        }

        var begun = await Begin(grains, userId, key);
        return begun.TryPickT1(out var answer, out var call) ? OneOf<IdempotentCall?, IResult>.FromT1(answer) : call;
    }

    /// <summary>
    /// The call to settle when it may proceed, or the answer to give instead: the stored response, or the
    /// refusal (409 while the first is running, 422 for another request).
    /// </summary>
    private static async Task<OneOf<IdempotentCall, IResult>> Begin(IGrainFactory grains, string userId, IdempotencyKey key)
    {
        var grain = grains.GetGrain<IIdempotencyGrain>(IIdempotencyGrain.KeyFor(userId, key.Key));
        return await grain.Claim(key.RequestHash) switch
        {
            KeyDecision<StoredResponse>.Run => new IdempotentCall(grain, key.RequestHash),
            KeyDecision<StoredResponse>.Replay replay => new StoredResponseResult(replay.Result),
            KeyDecision<StoredResponse>.Refused refused => Problems.Of(ApiErrors.From(refused.Refusal)),
            var unknown => throw new ArgumentOutOfRangeException(nameof(key), unknown, "Unknown idempotency decision."),
        };
    }

    /// <summary>Keeps a whole (non-streamed) success, unless it is too large to keep.</summary>
    public Task Keep(HttpResponse response, int status, string contentType, byte[] body)
    {
        if (body.Length > MaxKeptBytes)
        {
            Release();
            return Task.CompletedTask;
        }

        return Settle() ? _grain.Complete(_requestHash, new StoredResponse(status, contentType, Headers(response), body)) : Task.CompletedTask;
    }

    /// <summary>Frees the key unless a stream settles it now.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_handedOver)
        {
            Release();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Passes a stream through while recording it as sent; kept once its successful last event
    /// (<paramref name="isLastOfSuccess"/>: <c>[DONE]</c>, or <c>response.completed</c>) has gone out,
    /// released if the stream ends any other way, or with the response if it is never read.
    /// </summary>
    public IAsyncEnumerable<SseItem<byte[]>> Recording(IAsyncEnumerable<SseItem<byte[]>> events, HttpResponse response, Func<SseItem<byte[]>, bool> isLastOfSuccess)
    {
        _handedOver = true;
        response.OnCompleted(static call =>
        {
            ((IdempotentCall)call).Release();
            return Task.CompletedTask;
        }, this);
        return Record(events, response, isLastOfSuccess);
    }

    private async IAsyncEnumerable<SseItem<byte[]>> Record(
        IAsyncEnumerable<SseItem<byte[]>> events,
        HttpResponse response,
        Func<SseItem<byte[]>, bool> isLastOfSuccess,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sent = new ArrayBufferWriter<byte>();
        var recording = true;
        try
        {
            await foreach (var item in events.WithCancellation(cancellationToken))
            {
                yield return item;
                if (!recording)
                {
                    continue;
                }

                ServerEvents.Frame(item, sent);
                if (sent.WrittenCount > MaxKeptBytes)
                {
                    // Too large to keep: relay the rest without recording, and let a repeat run again.
                    recording = false;
                    Release();
                }
                else if (isLastOfSuccess(item) && Settle())
                {
                    await _grain.Complete(_requestHash, new StoredResponse(200, "text/event-stream", Headers(response), sent.WrittenSpan.ToArray()));
                }
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Frees the key, unless it was settled already.</summary>
    private void Release()
    {
        if (Settle())
        {
            // One-way: nothing to wait for.
            _ = _grain.Release(_requestHash);
        }
    }

    /// <summary>True for the one caller that settles the key (keeps or releases it).</summary>
    private bool Settle() => Interlocked.Exchange(ref _settled, 1) == 0;

    private static ImmutableSortedDictionary<string, string> Headers(HttpResponse response) =>
        KeptHeaders
            .Where(name => response.Headers.ContainsKey(name))
            .ToImmutableSortedDictionary(name => name, name => response.Headers[name].ToString());

    /// <summary>A kept response, answered again as it was first sent.</summary>
    private sealed class StoredResponseResult(StoredResponse stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = stored.Status;
            response.ContentType = stored.ContentType;
            foreach (var (name, value) in stored.Headers)
            {
                response.Headers[name] = value;
            }

            response.ContentLength = stored.Body.Length;
            await response.Body.WriteAsync(stored.Body, httpContext.RequestAborted);
        }
    }
}
