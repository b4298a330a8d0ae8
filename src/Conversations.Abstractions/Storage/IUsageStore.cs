using System.Collections.Immutable;
using Conversations.Core.Users;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// Per-user usage by UTC day. Additions are commutative increments, so any number of writers
/// (conversation grains, the user's own grain) may add concurrently without conflicts.
/// </summary>
public interface IUsageStore
{
    Task AddAsync(string userId, DateOnly day, UsageTotals usage, CancellationToken cancellationToken = default);

    Task<UsageTotals> GetDayAsync(string userId, DateOnly day, CancellationToken cancellationToken = default);

    Task<UsageTotals> GetTotalAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Every user's all-time totals.</summary>
    Task<ImmutableDictionary<string, UsageTotals>> GetAllTotalsAsync(CancellationToken cancellationToken = default);
}
