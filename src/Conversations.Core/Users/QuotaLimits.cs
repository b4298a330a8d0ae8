namespace Conversations.Core.Users;

/// <summary>
/// The limits in force for one user: their own where they have one, the service's default otherwise.
/// A null limit is no limit.
/// </summary>
/// <param name="StreamLeaseLifetime">A stream lease older than this is presumed lost (its host died) and its place freed.</param>
public sealed record QuotaLimits(
    int? RequestsPerMinute,
    long? TokensPerDay,
    int? ConcurrentStreams,
    TimeSpan StreamLeaseLifetime)
{
    /// <summary>How many responses may run in the background at once; null for no limit.</summary>
    public int? BackgroundResponses { get; init; }
}
