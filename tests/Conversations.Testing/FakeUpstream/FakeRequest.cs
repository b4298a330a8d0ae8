using System.Collections.Immutable;
using System.Text.Json;

namespace Conversations.Testing.FakeUpstream;

/// <summary>One request the fake upstream received, recorded as it arrived.</summary>
/// <param name="Number">1-based, in arrival order across all routes.</param>
/// <param name="Headers">Header values by name (case-insensitive); repeated headers are joined with ", ".</param>
public sealed class FakeRequest(int number, string method, string path, ImmutableDictionary<string, string> headers, string body)
{
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Number { get; } = number;

    public string Method { get; } = method;

    public string Path { get; } = path;

    public ImmutableDictionary<string, string> Headers { get; } = headers;

    public string Body { get; } = body;

    /// <summary>When the request's body had been read, by the machine's clock.</summary>
    public DateTimeOffset ArrivedAt { get; } = TimeProvider.System.GetUtcNow();

    /// <summary>The body as JSON; throws if it was not JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Completes when the client went away before the fake had finished answering.</summary>
    public Task Aborted => _aborted.Task;

    /// <summary>Completes when the fake is done with the request, whichever way it ended.</summary>
    public Task Finished => _finished.Task;

    public bool WasAborted => _aborted.Task.IsCompleted;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>True if the client aborted the request within <paramref name="deadline"/>.</summary>
    public async Task<bool> WaitForAbortAsync(TimeSpan deadline)
    {
        var first = await Task.WhenAny(Aborted, Task.Delay(deadline)).ConfigureAwait(false);
        return first == Aborted;
    }

    internal void MarkAborted() => _aborted.TrySetResult();

    internal void MarkFinished() => _finished.TrySetResult();

    public override string ToString() => $"#{Number} {Method} {Path}";
}
