using System.Runtime.CompilerServices;
using Conversations.ApiHost.Errors;

namespace Conversations.ApiHost.Streaming;

/// <summary>
/// Reads a grain's event stream into an HTTP stream. The first event is read as it is, so a failure
/// before the stream began is the request's, answered as a plain HTTP error. The rest come as
/// <see cref="GrainRead{TEvent}"/>s, which end early, with a read of their own, when the grain's silo goes
/// away or this host's drain time runs out. Each API maps these reads to its own wire events.
/// Disposing the reader tells the grain the client is gone, which cancels the grain's upstream request;
/// that happens once, when the reads end, or when the response ends if they never started.
/// </summary>
public sealed class GrainEventReader<TEvent> : IAsyncDisposable where TEvent : class
{
    private readonly IAsyncEnumerator<TEvent> _events;
    private readonly CancellationToken _drained;
    private readonly CancellationToken _aborted;
    private readonly Action<GrainRead<TEvent>>? _onRead;
    private readonly Action? _onEnd;
    private int _disposed;

    private GrainEventReader(IAsyncEnumerable<TEvent> events, CancellationToken drained, CancellationToken aborted, Action<GrainRead<TEvent>>? onRead, Action? onEnd)
    {
        _events = events.GetAsyncEnumerator(aborted);
        _drained = drained;
        _aborted = aborted;
        _onRead = onRead;
        _onEnd = onEnd;
    }

    /// <summary>A reader of <paramref name="events"/> for the request of <paramref name="context"/>, disposed with its response at the latest.</summary>
    /// <param name="drained">Cancelled when this host's drain time has run out (<c>ShutdownDrain.Ended</c>).</param>
    /// <param name="onRead">Told each read after the first as it is handed on (metrics watch the turn this way).</param>
    /// <param name="onEnd">Told once when the reads end, however they end.</param>
    public static GrainEventReader<TEvent> Open(
        IAsyncEnumerable<TEvent> events, CancellationToken drained, HttpContext context, Action<GrainRead<TEvent>>? onRead = null, Action? onEnd = null)
    {
        var reader = new GrainEventReader<TEvent>(events, drained, context.RequestAborted, onRead, onEnd);
        context.Response.RegisterForDisposeAsync(reader);
        return reader;
    }

    /// <summary>The first event, or null if the grain sent none. A failure to read it throws, as any failure of the request would.</summary>
    public async Task<TEvent?> FirstAsync() => await _events.MoveNextAsync() ? _events.Current : null;

    /// <summary>Every event after the first, then the reader is disposed however the reads end.</summary>
    public async IAsyncEnumerable<GrainRead<TEvent>> RestAsync()
    {
        try
        {
            while (await NextAsync() is { } read)
            {
                _aborted.ThrowIfCancellationRequested();
                _onRead?.Invoke(read);
                yield return read;
                if (read is not GrainRead<TEvent>.Event)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _onEnd?.Invoke();
        try
        {
            await _events.DisposeAsync();
        }
        catch (Exception exception) when (ClusterFailures.IsTransient(exception) || exception is InvalidOperationException)
        {
            // The grain's side is gone already (its silo died, or a pull was still pending when the drain ended it).
        }
    }

    /// <summary>The next read; null at the end of the grain's events.</summary>
    private async Task<GrainRead<TEvent>?> NextAsync()
    {
        try
        {
            var moved = _events.MoveNextAsync();
            var more = moved.IsCompleted ? moved.Result : await moved.AsTask().WaitAsync(_drained);
            return more ? new GrainRead<TEvent>.Event(_events.Current) : null;
        }
        catch (OperationCanceledException) when (_drained.IsCancellationRequested)
        {
            return new GrainRead<TEvent>.Drained();
        }
        catch (Exception exception) when (ClusterFailures.IsTransient(exception))
        {
            return new GrainRead<TEvent>.SiloLost();
        }
    }
}
