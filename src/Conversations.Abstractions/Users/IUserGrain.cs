using Conversations.Core.Users;
using Orleans.Concurrency;

namespace Conversations.Abstractions.Users;

/// <summary>
/// One user's live limits and usage, keyed by user id. Counting lives here, in the cluster, so limits
/// hold however many hosts and silos serve the user.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts up to <paramref name="wanted"/> requests against requests-per-minute for a host to admit
    /// without asking again, after checking tokens-per-day (<see cref="Quotas.Reserve"/>).
    /// </summary>
    Task<Reservation> Reserve(int wanted);

    /// <summary>Reserved requests a host did not use, given back to the window they were counted in.</summary>
    [OneWay]
    Task GiveBack(DateTimeOffset windowStart, int unused);

    Task<StreamLease> AcquireStream();

    [OneWay]
    Task ReleaseStream(string leaseId);

    /// <summary>
    /// A place for response <paramref name="responseId"/> to run in the background, counted among the user's
    /// background responses and their streams; give it back with <see cref="ReleaseStream"/> and the response's id.
    /// </summary>
    Task<StreamLease> AcquireBackground(string responseId);

    /// <summary>
    /// Adds usage the caller has not stored itself (stateless calls); it is written to the store in small
    /// batches. <paramref name="stored"/> usage (conversation turns, written with their messages) only
    /// updates today's count.
    /// </summary>
    [OneWay]
    Task RecordUsage(UsageTotals usage, bool stored);

    Task<UsageReport> GetUsage();

    /// <summary>The limits that apply to the user now: their own, else the service's defaults (null: none).</summary>
    [AlwaysInterleave]
    Task<UserLimits> GetLimits();

}
