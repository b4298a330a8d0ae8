using Conversations.Abstractions.Users;
using Conversations.Core.Users;

namespace Conversations.Bench.Micro;

/// <summary>A user grain that counts nothing, so the relay benchmark measures the relay alone.</summary>
internal sealed class NoUserGrain : IUserGrain
{
    public Task<Reservation> Reserve(int wanted) => throw new NotSupportedException();

    public Task GiveBack(DateTimeOffset windowStart, int unused) => Task.CompletedTask;

    public Task<StreamLease> AcquireStream() => throw new NotSupportedException();

    public Task ReleaseStream(string leaseId) => Task.CompletedTask;

    public Task<StreamLease> AcquireBackground(string responseId) => throw new NotSupportedException();

    public Task RecordUsage(UsageTotals usage, bool stored) => Task.CompletedTask;

    public Task<UsageReport> GetUsage() => throw new NotSupportedException();

    public Task<UserLimits> GetLimits() => throw new NotSupportedException();

    public Task Refresh() => Task.CompletedTask;
}
