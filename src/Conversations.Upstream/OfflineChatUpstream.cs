using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Offline;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Upstream;

/// <summary>
/// The built-in <c>offline</c> model as an upstream: it needs no network, answers deterministically (see
/// <see cref="OfflineModel"/>) and reports honest token counts.
/// </summary>
public sealed class OfflineChatUpstream(ITokenCounter tokens, TimeProvider time) : IChatUpstream
{
    /// <summary>The model's <c>created</c> in the model list: fixed, since the model never changes (2025-01-01).</summary>
    public const long ModelCreated = 1735689600;

    public static readonly ModelInfo Model = new(OfflineModel.ModelId, ModelCreated, OfflineModel.OwnedBy);

    public Task<OneOf<ChatCompletion, UpstreamError>> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var answer = OfflineModel.Answer(request, tokens.Count);
        var completion = new ChatCompletion(
            CompletionIds.NewCompletionId(), time.GetUtcNow().ToUnixTimeSeconds(), OfflineModel.ModelId, answer.Content, answer.FinishReason, answer.Usage);
        return Task.FromResult<OneOf<ChatCompletion, UpstreamError>>(completion);
    }

    /// <summary>The reply in its pieces, then a chunk with the finish reason, then one with the usage, as OpenAI streams.</summary>
    public async IAsyncEnumerable<OneOf<ChatCompletionChunk, UpstreamError>> StreamAsync(
        UpstreamChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answer = OfflineModel.Answer(request, tokens.Count);
        var id = CompletionIds.NewCompletionId();
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var piece in answer.Chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatCompletionChunk(id, created, OfflineModel.ModelId, piece, "", null);
            await Task.Yield();
        }

        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatCompletionChunk(id, created, OfflineModel.ModelId, "", answer.FinishReason, null);
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatCompletionChunk(id, created, OfflineModel.ModelId, "", "", answer.Usage);
    }

    public Task<OneOf<ImmutableArray<ModelInfo>, UpstreamError>> ListModelsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<OneOf<ImmutableArray<ModelInfo>, UpstreamError>>(ImmutableArray.Create(Model));
}
