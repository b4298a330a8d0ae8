using System.Diagnostics;
using System.Threading.RateLimiting;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Users;
using Conversations.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conversations.Grains.Users;

/// <summary>
/// One user's limits and usage. Requests per minute and concurrent streams are counted by
/// System.Threading.RateLimiting limiters; tokens per day by today's usage, which this grain loads
/// from the store and keeps current. Usage of stateless calls is written in small batches.
/// </summary>
public sealed partial class UserGrain(
    IUserStore users,
    IUsageStore usage,
    IOptions<LimitDefaults> defaults,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private FixedWindowRateLimiter? _requests;
    private ConcurrencyLimiter? _streams;
    private readonly Dictionary<string, (RateLimitLease Lease, DateTimeOffset Since)> _streamLeases = [];
    private int? _requestLimit;
    // The limiter's own timer runs on the machine's clock, so its window is measured on that clock too
    // (not the injected one, which may be a test's fake).
    private long _windowOrigin;
    private long? _tokensPerDay;
    private int? _streamLimit;

    private DateOnly _day;
    private UsageTotals _storedToday = UsageTotals.None;
    private UsageTotals _unflushed = UsageTotals.None;
    private DateOnly _unflushedDay;
    private IGrainTimer? _flushTimer;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadLimits(cancellationToken);
        _day = Today();
        _storedToday = await usage.GetDayAsync(UserId, _day, cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Flush();
        _requests?.Dispose();
        _streams?.Dispose();
    }

    public async Task<Admission> Admit()
    {
        await RollDay();
        var tokens = TokensWindow();
        if (_tokensPerDay is { } tokenLimit && TodayTokens() >= tokenLimit)
        {
            return new Admission(false, "tokens", UntilMidnight(), RequestsWindow(), tokens);
        }

        if (_requests is null)
        {
            return new Admission(true, "", TimeSpan.Zero, RateWindow.Unlimited, tokens);
        }

        using var lease = _requests.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return new Admission(true, "", TimeSpan.Zero, RequestsWindow(), tokens);
        }

        // Not the lease's RetryAfter: a fixed window's refused lease always says a whole window, however
        // soon the current one ends. The permits come back when the current window ends.
        var window = RequestsWindow();
        return new Admission(false, "requests", window.ResetsIn, window, tokens);
    }

    public Task<StreamLease> AcquireStream()
    {
        if (_streams is null)
        {
            return Task.FromResult(new StreamLease(true, "", 0));
        }

        FreeLostLeases();
        var lease = _streams.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return Task.FromResult(new StreamLease(false, "", _streamLimit ?? 0));
        }

        var id = IdGenerator.New("lease_");
        _streamLeases[id] = (lease, clock.GetUtcNow());
        return Task.FromResult(new StreamLease(true, id, _streamLimit ?? 0));
    }

    public Task ReleaseStream(string leaseId)
    {
        if (_streamLeases.Remove(leaseId, out var held))
        {
            held.Lease.Dispose();
        }

        return Task.CompletedTask;
    }

    public async Task RecordUsage(UsageTotals recorded, bool stored)
    {
        UsageMetrics.Record(recorded);
        await RollDay();
        if (stored)
        {
            // Already in the store, so read today's total rather than add to it: an activation that began after
            // the usage was written loaded a total that counts it already.
            _storedToday = await usage.GetDayAsync(UserId, _day);
            return;
        }

        if (_unflushed != UsageTotals.None && _unflushedDay != _day)
        {
            await Flush();
        }

        _unflushedDay = _day;
        _unflushed = _unflushed.Add(recorded);
        _flushTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.Flush(),
            this,
            new GrainTimerCreationOptions(defaults.Value.UsageFlushInterval, defaults.Value.UsageFlushInterval) { KeepAlive = false, Interleave = false });
    }

    public async Task<UsageReport> GetUsage()
    {
        await RollDay();
        var total = await usage.GetTotalAsync(UserId);
        return new UsageReport(UserId, total.Add(_unflushed), _storedToday.Add(_unflushed));
    }

    private async Task LoadLimits(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(UserId, cancellationToken);
        var own = user?.Limits ?? UserLimits.Defaults;
        var rpm = Positive(own.RequestsPerMinute ?? defaults.Value.RequestsPerMinute);
        _tokensPerDay = Positive(own.TokensPerDay ?? defaults.Value.TokensPerDay);
        _streamLimit = Positive(own.ConcurrentStreams ?? defaults.Value.ConcurrentStreams);
        _requestLimit = rpm;
        _windowOrigin = Stopwatch.GetTimestamp();
        _requests = rpm is { } perMinute
            ? new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = Minute, QueueLimit = 0, AutoReplenishment = true })
            : null;
        _streams = _streamLimit is { } concurrent
            ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 })
            : null;
    }

    private async Task Flush()
    {
        if (_unflushed == UsageTotals.None)
        {
            return;
        }

        var batch = _unflushed;
        var day = _unflushedDay;
        _unflushed = UsageTotals.None;
        try
        {
            await usage.AddAsync(UserId, day, batch);
            if (day == _day)
            {
                _storedToday = _storedToday.Add(batch);
            }
        }
        catch (Exception exception)
        {
            // Keep the batch for the next flush rather than lose it.
            _unflushed = _unflushed.Add(batch);
            LogFlushFailed(logger, exception, UserId);
        }
    }

    private async Task RollDay()
    {
        var today = Today();
        if (today == _day)
        {
            return;
        }

        await Flush();
        _day = today;
        _storedToday = await usage.GetDayAsync(UserId, today);
    }

    private void FreeLostLeases()
    {
        var cutoff = clock.GetUtcNow() - defaults.Value.StreamLeaseLifetime;
        foreach (var (id, held) in _streamLeases.Where(pair => pair.Value.Since < cutoff).ToList())
        {
            held.Lease.Dispose();
            _streamLeases.Remove(id);
        }
    }

    private long TodayTokens() => _storedToday.Tokens.TotalTokens + (_unflushedDay == _day ? _unflushed.Tokens.TotalTokens : 0);

    private RateWindow RequestsWindow() =>
        _requests is null || _requestLimit is not { } limit
            ? RateWindow.Unlimited
            : new RateWindow(limit, _requests.GetStatistics()?.CurrentAvailablePermits ?? 0, UntilWindowEnds());

    /// <summary>The limiter refills every minute from when it was made; this is the time to the next refill.</summary>
    private TimeSpan UntilWindowEnds()
    {
        var elapsed = Stopwatch.GetElapsedTime(_windowOrigin).Ticks % Minute.Ticks;
        return TimeSpan.FromTicks(Minute.Ticks - elapsed);
    }

    private RateWindow TokensWindow() =>
        _tokensPerDay is { } limit
            ? new RateWindow(limit, Math.Max(0, limit - TodayTokens()), UntilMidnight())
            : RateWindow.Unlimited;

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private TimeSpan UntilMidnight()
    {
        var now = clock.GetUtcNow();
        return now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;
    }

    private static int? Positive(int? value) => value is > 0 ? value : null;

    private static long? Positive(long? value) => value is > 0 ? value : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store usage for user {UserId}; will retry.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string userId);
}
