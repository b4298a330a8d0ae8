using Conversations.Core.Users;

namespace Conversations.Grains.Users;

/// <summary>
/// Service-wide limits for users who have none of their own (configuration section <c>Limits</c>).
/// A null or non-positive value means unlimited.
/// </summary>
public sealed class LimitDefaults
{
    public int? RequestsPerMinute { get; set; } = 600;

    public long? TokensPerDay { get; set; }

    public int? ConcurrentStreams { get; set; } = 20;

    /// <summary>How many responses a user may have running in the background at once (each also counts as one of their streams).</summary>
    public int? BackgroundResponses { get; set; } = 5;

    /// <summary>A stream lease older than this is presumed lost (its host died) and freed.</summary>
    public TimeSpan StreamLeaseLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often usage of stateless calls is written to the store.</summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The three limits, as the defaults a user's own limits are merged over.</summary>
    public UserLimits AsUserLimits() => new(RequestsPerMinute, TokensPerDay, ConcurrentStreams);
}
