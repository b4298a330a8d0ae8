using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Offline;
using Conversations.Core.Upstream;
using Microsoft.Extensions.Options;
using OneOf;

namespace Conversations.Upstream;

/// <summary>
/// The upstream the conversations talk to: the <c>offline</c> model goes to the built-in model while that is
/// active, every other model to the configured HTTP upstream. With no upstream configured, other models are
/// answered with <see cref="UpstreamError.ModelNotFound"/> saying how to configure one.
/// </summary>
public sealed class UpstreamRouter(
    IOptions<UpstreamOptions> options,
    OfflineChatUpstream offline,
    HttpChatUpstream http,
    TimeProvider time) : IChatUpstream
{
    private readonly Lock _cacheLock = new();
    private (ImmutableArray<ModelInfo> Models, DateTimeOffset Expires)? _cachedModels;

    private UpstreamOptions Options => options.Value;

    public Task<OneOf<ChatCompletion, UpstreamError>> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken) =>
        Route(request.Model) switch
        {
            Destination.Offline => offline.CompleteAsync(request, cancellationToken),
            Destination.Http => http.CompleteAsync(request, cancellationToken),
            _ => Task.FromResult<OneOf<ChatCompletion, UpstreamError>>(NotServed(request.Model)),
        };

    public IAsyncEnumerable<OneOf<ChatCompletionChunk, UpstreamError>> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken) =>
        Route(request.Model) switch
        {
            Destination.Offline => offline.StreamAsync(request, cancellationToken),
            Destination.Http => http.StreamAsync(request, cancellationToken),
            _ => Single(NotServed(request.Model)),
        };

    /// <summary>True when <paramref name="model"/> is answered by the HTTP upstream (not the offline model, and not refused).</summary>
    public bool GoesUpstream(string model) => Route(model) == Destination.Http;

    /// <summary>The upstream's models (reused for <see cref="UpstreamOptions.ModelsCacheDuration"/>), then the offline model when it is active.</summary>
    public async Task<OneOf<ImmutableArray<ModelInfo>, UpstreamError>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var models = ImmutableArray<ModelInfo>.Empty;
        if (Options.IsConfigured)
        {
            var upstream = await UpstreamModelsAsync(cancellationToken).ConfigureAwait(false);
            if (upstream.TryPickT1(out var error, out models))
            {
                return error;
            }
        }

        if (Options.OfflineModelActive && !models.Any(m => m.Id == OfflineModel.ModelId))
        {
            models = models.Add(OfflineChatUpstream.Model);
        }

        return models;
    }

    private async Task<OneOf<ImmutableArray<ModelInfo>, UpstreamError>> UpstreamModelsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_cacheLock)
        {
            if (_cachedModels is { } cached && cached.Expires > now)
            {
                return cached.Models;
            }
        }

        var listed = await http.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        if (listed.TryPickT0(out var models, out _) && Options.ModelsCacheDuration > TimeSpan.Zero)
        {
            lock (_cacheLock)
            {
                _cachedModels = (models, time.GetUtcNow() + Options.ModelsCacheDuration);
            }
        }

        return listed;
    }

    private enum Destination
    {
        Offline,
        Http,
        Nowhere,
    }

    private Destination Route(string model)
    {
        if (model == OfflineModel.ModelId && Options.OfflineModelActive)
        {
            return Destination.Offline;
        }

        return Options.IsConfigured ? Destination.Http : Destination.Nowhere;
    }

    private static UpstreamError NotServed(string model) => new UpstreamError.ModelNotFound(
        $"The model '{model}' is not available: no upstream model is configured, so only the built-in '{OfflineModel.ModelId}' model answers. "
        + $"Set {UpstreamOptions.ApiKeyVariable} to use OpenAI, or {UpstreamOptions.BaseUrlVariable} for another OpenAI-compatible server.");

    private static async IAsyncEnumerable<OneOf<ChatCompletionChunk, UpstreamError>> Single(UpstreamError error)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return error;
    }
}
