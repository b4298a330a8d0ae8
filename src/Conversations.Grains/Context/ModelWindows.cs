using System.Collections.Immutable;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Context;
using Microsoft.Extensions.Options;

namespace Conversations.Grains.Context;

/// <summary>
/// The context window of each model (see <see cref="ContextWindows.For"/>): the operator's configuration,
/// the built-in defaults of the common families, and, for a model neither names, what the upstream's model
/// list reports (vLLM's <c>max_model_len</c>). That list is read at most once a minute, and only for such
/// models, so turns on well-known models never wait for it.
/// </summary>
public sealed class ModelWindows(IChatUpstream upstream, IOptions<ContextOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private (Task<ImmutableDictionary<string, long>> Reported, DateTimeOffset Expires)? _reported;

    private ContextOptions Options => options.Value;

    /// <summary>The window of <paramref name="model"/> in tokens; null when nothing says.</summary>
    public async ValueTask<long?> For(string model)
    {
        if (ContextWindows.For(model, Options.Windows, reported: null, fallback: null) is { } known)
        {
            return known;
        }

        var reported = await Reported();
        return ContextWindows.For(model, Options.Windows, reported.TryGetValue(model, out var window) ? window : null, Options.DefaultWindow);
    }

    /// <summary>The input budget of a turn on <paramref name="model"/> that caps its answer at <paramref name="maxOutputTokens"/>.</summary>
    public async ValueTask<(long? Window, long? Budget)> Budget(string model, int? maxOutputTokens)
    {
        var window = await For(model);
        return (window, ContextBudget.For(window, maxOutputTokens, Options.AnswerReserve));
    }

    private Task<ImmutableDictionary<string, long>> Reported()
    {
        lock (_lock)
        {
            if (_reported is { } current && current.Expires > clock.GetUtcNow())
            {
                return current.Reported;
            }

            // One read at a time; a failed one counts as "nothing reported" until it expires, like a good one.
            var read = Read();
            _reported = (read, clock.GetUtcNow() + ReportLifetime);
            return read;
        }
    }

    private async Task<ImmutableDictionary<string, long>> Read()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var listed = await upstream.ListModelsAsync(timeout.Token).ConfigureAwait(false);
            return listed.TryPickT0(out var models, out _)
                ? models.Where(m => m.ContextWindow is > 0).ToImmutableDictionary(m => m.Id, m => m.ContextWindow!.Value)
                : ImmutableDictionary<string, long>.Empty;
        }
        catch (OperationCanceledException)
        {
            return ImmutableDictionary<string, long>.Empty;
        }
    }
}
