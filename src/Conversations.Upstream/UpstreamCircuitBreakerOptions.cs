namespace Conversations.Upstream;

/// <summary>
/// The circuit breaker in front of each upstream host: once <see cref="FailureRatio"/> of at least
/// <see cref="MinimumThroughput"/> requests in <see cref="SamplingDuration"/> have failed (5xx, 408, timeouts,
/// failed connections — not rate limits), requests fail at once for <see cref="BreakDuration"/>.
/// </summary>
public sealed class UpstreamCircuitBreakerOptions
{
    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 10;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    internal IEnumerable<string> Problems()
    {
        const string prefix = UpstreamOptions.SectionName + ":CircuitBreaker:";
        if (FailureRatio is <= 0 or > 1)
        {
            yield return $"{prefix}{nameof(FailureRatio)} must be more than 0 and at most 1.";
        }

        if (MinimumThroughput < 2)
        {
            yield return $"{prefix}{nameof(MinimumThroughput)} must be at least 2.";
        }

        if (SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{prefix}{nameof(SamplingDuration)} must be at least 00:00:00.5.";
        }

        if (BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{prefix}{nameof(BreakDuration)} must be at least 00:00:00.5.";
        }
    }
}
