using Conversations.Core.Messages;
using Conversations.Core.Users;

namespace Conversations.Core.Tests.Users;

/// <summary>The "given" of quota tests: a quota started at a known moment, and what happened to it since.</summary>
internal static class GivenQuota
{
    /// <summary>A quarter past ten in the evening, UTC: the day ends in 1 h 44 min 30 s.</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 22, 15, 30, TimeSpan.Zero);

    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromHours(1);

    public static QuotaLimits Limits(int? requestsPerMinute = null, long? tokensPerDay = null, int? concurrentStreams = null) =>
        new(requestsPerMinute, tokensPerDay, concurrentStreams, LeaseLifetime);

    public static Quota Quota(QuotaLimits limits, DateTimeOffset? at = null, UsageTotals? storedToday = null) =>
        Quotas.Start(limits, at ?? Start, storedToday ?? UsageTotals.None);

    public static UsageTotals Tokens(long total) => new(1, new TokenUsage(total, 0));

    public static Quota Admitted(this Quota quota, int times, DateTimeOffset at)
    {
        for (var i = 0; i < times; i++)
        {
            var (next, admission) = Quotas.Admit(quota, at);
            Assert.IsType<Admission.Admitted>(admission);
            quota = next;
        }

        return quota;
    }

    public static Quota Streaming(this Quota quota, string leaseId, DateTimeOffset at)
    {
        var (next, lease) = Quotas.AcquireStream(quota, leaseId, at);
        Assert.IsType<StreamLease.Granted>(lease);
        return next;
    }
}
