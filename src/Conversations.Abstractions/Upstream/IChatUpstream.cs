using System.Collections.Immutable;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Abstractions.Upstream;

/// <summary>
/// An OpenAI-compatible model: the real upstream over HTTP, or the built-in offline model.
/// Expected failures come back as <see cref="UpstreamError"/> values; cancellation throws.
/// </summary>
public interface IChatUpstream
{
    /// <summary>One single-shot completion.</summary>
    Task<OneOf<ChatCompletion, UpstreamError>> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// A streamed completion. Yields chunks in order; a failure (before the first chunk or mid-way)
    /// is yielded as one <see cref="UpstreamError"/> that ends the sequence. Ends without error at <c>[DONE]</c>.
    /// </summary>
    IAsyncEnumerable<OneOf<ChatCompletionChunk, UpstreamError>> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken);

    /// <summary>The models this upstream serves.</summary>
    Task<OneOf<ImmutableArray<ModelInfo>, UpstreamError>> ListModelsAsync(CancellationToken cancellationToken);
}
