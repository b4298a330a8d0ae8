using System.Runtime.CompilerServices;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Core.Wire.Responses;
using OneOf;

namespace Conversations.Grains.Turns;

/// <summary>
/// Runs one turn against the upstream, for whichever grain holds the turn (a conversation, or a response
/// of a chain): calls the model, folds what arrives into output items (the core's <see cref="OutputFold"/>),
/// and hands the output to the holder to keep. The holder decides what keeping means (its rules, its store);
/// this is plumbing only: cancellation, the silo's drain, and the order things happen in.
/// </summary>
internal static class TurnRunner
{
    /// <summary>Keeps a turn's output (with the failure that cut it short, if one did): the response as kept, or why it could not be.</summary>
    public delegate Task<OneOf<ResponseRecord, ConversationError>> Keep(TurnOutput output, ResponseFailure? failure);

    /// <summary>
    /// The request to send again after the upstream refused it before answering (a context it found too long,
    /// see <see cref="TurnContext.Retry"/>); null to let the refusal stand. Asked at most once per turn.
    /// </summary>
    public delegate UpstreamChatRequest? RetryAfter(UpstreamError refusal);

    /// <summary>A single-shot turn: the whole answer, kept; or the upstream's refusal, with nothing kept.</summary>
    public static async Task<OneOf<ResponseRecord, ConversationError>> Complete(
        IChatUpstream upstream,
        UpstreamChatRequest request,
        RetryAfter retry,
        DateTimeOffset startedAt,
        ITokenCounter tokens,
        Keep keep,
        CancellationToken cancellationToken)
    {
        var answer = await upstream.CompleteAsync(request, cancellationToken);
        if (answer.TryPickT1(out var refusal, out _) && retry(refusal) is { } again)
        {
            request = again;
            answer = await upstream.CompleteAsync(request, cancellationToken);
        }

        if (answer.TryPickT1(out var failure, out var completion))
        {
            return new ConversationError.Upstream(failure);
        }

        var countTokens = tokens.For(request.Model);
        var prompt = completion.Usage == Core.Messages.TokenUsage.Zero ? PromptTokens.Count(request, countTokens) : 0;
        return await keep(OutputFold.FromCompletion(completion, startedAt, 0, IdGenerator.New, countTokens, prompt), null);
    }

    /// <summary>
    /// A streamed turn, as <see cref="TurnEvent"/>s: <see cref="TurnEvent.Started"/> at the first chunk, the
    /// output's events as they arrive, then one last event once what arrived is kept. <paramref name="end"/>
    /// frees the holder for its next turn exactly once: before the last event goes out (so a client may
    /// start its next turn as soon as it hears), or, if the client leaves first, after what arrived is kept.
    /// </summary>
    /// <param name="drained">Cancelled when the silo is stopping and the turn's drain time ran out.</param>
    public static async IAsyncEnumerable<TurnEvent> Stream(
        IChatUpstream upstream,
        UpstreamChatRequest request,
        RetryAfter retry,
        ResponseRecord started,
        ITokenCounter tokens,
        Keep keep,
        Action end,
        CancellationToken drained,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // What has arrived, kept by the finally block if the loop is left early (the client went away).
        OutputDraft? draft = null;
        var ended = false;
        using var endable = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drained);
        var chunks = upstream.StreamAsync(request, endable.Token).GetAsyncEnumerator(endable.Token);
        var retried = false;
        try
        {
            var startedAt = started.CreatedAt;
            var folding = OutputFold.Start(IdGenerator.New("chatcmpl-"), startedAt, request.Model, 0);
            while (true)
            {
                var next = await UpstreamChunks.Next(chunks, endable.Token);
                if (next.TryPickT0(out var chunk, out var stopped))
                {
                    var first = draft is null;
                    (folding, var events) = OutputFold.Step(folding, chunk, IdGenerator.New);
                    draft = folding;
                    if (first)
                    {
                        yield return new TurnEvent.Started(folding.CompletionId, startedAt, folding.Model, started with { Model = folding.Model });
                    }

                    foreach (var item in events)
                    {
                        yield return item;
                    }

                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    yield break; // the client went away; the finally block keeps what arrived
                }

                if (draft is null && !retried && stopped.TryPickT1(out var refusal, out _) && retry(refusal) is { } again)
                {
                    // Refused before its first chunk: sent once more, as the refusal said it should be.
                    retried = true;
                    await chunks.DisposeAsync();
                    request = again;
                    chunks = upstream.StreamAsync(request, endable.Token).GetAsyncEnumerator(endable.Token);
                    continue;
                }

                var stop = stopped.Match<StreamStop>(
                    _ => drained.IsCancellationRequested ? new StreamStop.Drained() : new StreamStop.Finished(),
                    failure => new StreamStop.Failed(failure),
                    _ => new StreamStop.Drained());

                // What arrived is kept (output the upstream never finished, as incomplete), and the holder freed
                // before the last event goes out.
                OneOf<ResponseRecord, ConversationError>? kept = null;
                if (draft is not null)
                {
                    var (output, owed) = Finish(draft, request, tokens);
                    foreach (var item in owed)
                    {
                        yield return item;
                    }

                    kept = await keep(output, Failure(stop));
                }

                ended = true;
                end();
                yield return TurnEnding.Report(stop, kept);
                yield break;
            }
        }
        finally
        {
            await chunks.DisposeAsync();

            // Only if this turn still holds its holder: once freed, the next turn may have begun.
            if (!ended)
            {
                if (draft is not null)
                {
                    await keep(Finish(draft, request, tokens).Output, null);
                }

                end();
            }
        }
    }

    private static (TurnOutput Output, System.Collections.Immutable.ImmutableArray<TurnEvent> Owed) Finish(OutputDraft draft, UpstreamChatRequest request, ITokenCounter tokens)
    {
        var countTokens = tokens.For(request.Model);
        return OutputFold.Finish(draft, IdGenerator.New, countTokens, draft.Usage is null ? PromptTokens.Count(request, countTokens) : 0);
    }

    /// <summary>What a response records of why its stream stopped early: nothing when the upstream finished it.</summary>
    private static ResponseFailure? Failure(StreamStop stop) => stop switch
    {
        StreamStop.Failed failed => ResponseWire.Failure(ApiErrors.From(failed.Error)),
        StreamStop.Drained => ResponseWire.Failure(ApiErrors.ShuttingDown()),
        _ => null,
    };
}
