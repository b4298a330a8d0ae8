using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Grains.Turns;

/// <summary>Reads an upstream stream one step at a time, turning its end, its failure and cancellation into values.</summary>
internal static class UpstreamChunks
{
    /// <summary>The next chunk, or why there is none: the end (<c>[DONE]</c>), a failure, or cancellation.</summary>
    public static async Task<OneOf<ChatCompletionChunk, OneOf<Ended, UpstreamError, Cancelled>>> Next(
        IAsyncEnumerator<OneOf<ChatCompletionChunk, UpstreamError>> chunks,
        CancellationToken cancellationToken)
    {
        try
        {
            if (!await chunks.MoveNextAsync())
            {
                return OneOf<Ended, UpstreamError, Cancelled>.FromT0(default);
            }

            return chunks.Current.Match<OneOf<ChatCompletionChunk, OneOf<Ended, UpstreamError, Cancelled>>>(
                chunk => chunk,
                failure => OneOf<Ended, UpstreamError, Cancelled>.FromT1(failure));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return OneOf<Ended, UpstreamError, Cancelled>.FromT2(default);
        }
    }

    public readonly record struct Ended;

    public readonly record struct Cancelled;
}
