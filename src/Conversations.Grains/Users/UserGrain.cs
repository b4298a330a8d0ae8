using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Users;
using Conversations.Core.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conversations.Grains.Users;

/// <summary>
/// One user's limits and usage. The rules are <see cref="Quotas"/>'; this grain loads the user's limits
/// and today's usage, keeps the <see cref="Quota"/> the rules return, and writes usage of stateless calls
/// to the store in small batches.
/// </summary>
public sealed partial class UserGrain(
    IUserStore users,
    IUsageStore usage,
    IOptions<LimitDefaults> defaults,
    [FromKeyedServices(UserGrain.ClockKey)] TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    /// <summary>
    /// The clock quotas are counted on: the silo's own, registered under this key so that a test can
    /// move user grains past midnight without moving Orleans' timers.
    /// </summary>
    public const string ClockKey = "quotas";

    private Quota _quota = null!;
    private IGrainTimer? _flushTimer;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(UserId, cancellationToken);
        var limits = Quotas.Merge(user?.Limits ?? UserLimits.Defaults, defaults.Value.AsUserLimits(), defaults.Value.StreamLeaseLifetime)
            with { BackgroundResponses = defaults.Value.BackgroundResponses is > 0 and var background ? background : null };
        var now = clock.GetUtcNow();
        _quota = Quotas.Start(limits, now, await usage.GetDayAsync(UserId, Quotas.DayOf(now), cancellationToken));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Flush();

    public async Task<Reservation> Reserve(int wanted)
    {
        var now = clock.GetUtcNow();
        await RollDay(now);
        (_quota, var reservation) = Quotas.Reserve(_quota, now, wanted);
        return reservation;
    }

    public Task GiveBack(DateTimeOffset windowStart, int unused)
    {
        _quota = Quotas.GiveBack(_quota, windowStart, unused);
        return Task.CompletedTask;
    }

    public Task<StreamLease> AcquireStream()
    {
        (_quota, var lease) = Quotas.AcquireStream(_quota, IdGenerator.New("lease_"), clock.GetUtcNow());
        return Task.FromResult(lease);
    }

    public Task<StreamLease> AcquireBackground(string responseId)
    {
        (_quota, var lease) = Quotas.AcquireBackground(_quota, responseId, clock.GetUtcNow());
        return Task.FromResult(lease);
    }

    public Task ReleaseStream(string leaseId)
    {
        _quota = Quotas.ReleaseStream(_quota, leaseId);
        return Task.CompletedTask;
    }

    public async Task RecordUsage(UsageTotals recorded, bool stored)
    {
        UsageMetrics.Record(recorded);
        await RollDay(clock.GetUtcNow());
        if (stored)
        {
            // Already in the store, so read today's total rather than add to it: an activation that began after
            // the usage was written loaded a total that counts it already.
            _quota = Quotas.StoredUsage(_quota, await usage.GetDayAsync(UserId, _quota.Day));
            return;
        }

        if (Quotas.HoldsPastUsage(_quota))
        {
            await Flush();
        }

        _quota = Quotas.RecordUsage(_quota, recorded);
        _flushTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.Flush(),
            this,
            new GrainTimerCreationOptions(defaults.Value.UsageFlushInterval, defaults.Value.UsageFlushInterval) { KeepAlive = false, Interleave = false });
    }

    public async Task<UsageReport> GetUsage()
    {
        await RollDay(clock.GetUtcNow());
        var total = await usage.GetTotalAsync(UserId);
        return new UsageReport(UserId, total.Add(_quota.Unstored), Quotas.UsedToday(_quota));
    }

    public Task<UserLimits> GetLimits() =>
        Task.FromResult(new UserLimits(_quota.Limits.RequestsPerMinute, _quota.Limits.TokensPerDay, _quota.Limits.ConcurrentStreams));

    /// <summary>Writes the unstored usage to its day. Calls do not interleave here, so nothing is recorded while it is written.</summary>
    private async Task Flush()
    {
        if (_quota.Unstored == UsageTotals.None)
        {
            return;
        }

        try
        {
            await usage.AddAsync(UserId, _quota.UnstoredDay, _quota.Unstored);
            _quota = Quotas.UsageStored(_quota);
        }
        catch (Exception exception)
        {
            // Still unstored, so the next flush tries again rather than lose it.
            LogFlushFailed(logger, exception, UserId);
        }
    }

    private async Task RollDay(DateTimeOffset now)
    {
        if (Quotas.NewDay(_quota, now) is not { } today)
        {
            return;
        }

        await Flush();
        _quota = Quotas.RollDay(_quota, today, await usage.GetDayAsync(UserId, today));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store usage for user {UserId}; will retry.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string userId);
}
