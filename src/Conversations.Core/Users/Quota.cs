using System.Collections.Immutable;

namespace Conversations.Core.Users;

/// <summary>
/// What one user's limits are counted against: the current minute's requests, today's (UTC) usage and
/// the stream leases out. Changed only by <see cref="Quotas"/>.
/// </summary>
/// <param name="WindowStart">When the current one-minute requests window began; windows follow each other from the first.</param>
/// <param name="RequestsInWindow">Requests admitted in that window.</param>
/// <param name="Day">The UTC day <paramref name="StoredToday"/> belongs to.</param>
/// <param name="StoredToday">The user's usage of <paramref name="Day"/> as the store has it.</param>
/// <param name="Unstored">Usage recorded here and not yet in the store, of <paramref name="UnstoredDay"/>.</param>
/// <param name="Streams">The leases out, with when each was granted.</param>
public sealed record Quota(
    QuotaLimits Limits,
    DateTimeOffset WindowStart,
    int RequestsInWindow,
    DateOnly Day,
    UsageTotals StoredToday,
    UsageTotals Unstored,
    DateOnly UnstoredDay,
    ImmutableDictionary<string, DateTimeOffset> Streams)
{
    /// <summary>The responses running in the background (their ids, which are also their stream leases), with when each began.</summary>
    public ImmutableDictionary<string, DateTimeOffset> Background { get; init; } = ImmutableDictionary<string, DateTimeOffset>.Empty;
}
