namespace Conversations.Bench.Load;

/// <summary>
/// One stream as the client saw it: whether every chunk arrived once and in order (and <c>[DONE]</c>
/// ended it), the time to its first content, and each chunk's delay from when the upstream wrote it.
/// </summary>
public sealed record StreamOutcome(bool Intact, double TimeToFirstTokenMs, double[] ChunkDelaysMs, string? Problem);
