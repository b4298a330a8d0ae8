namespace Conversations.Bench.Load;

/// <summary>
/// One stream as the client saw it: whether every chunk arrived once and in order (and <c>[DONE]</c>
/// ended it), the time to its first content, and each chunk's delay from when the upstream wrote it.
/// <para>
/// <see cref="SentAt"/> and <see cref="FirstTokenWrittenAt"/> (<see cref="System.Diagnostics.Stopwatch"/>
/// timestamps) let the caller split the time to first content at the upstream: the way in, the
/// upstream's own time, and the way back.
/// </para>
/// </summary>
public sealed record StreamOutcome(bool Intact, double TimeToFirstTokenMs, double[] ChunkDelaysMs, string? Problem, long SentAt = 0, long FirstTokenWrittenAt = 0)
{
    /// <summary>The id of the response a Responses stream completed (for the next link of a chain).</summary>
    public string? ResponseId { get; init; }
}
