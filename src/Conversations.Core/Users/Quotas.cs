using System.Collections.Immutable;

namespace Conversations.Core.Users;

/// <summary>
/// The rules of a user's limits: requests per minute in fixed one-minute windows, tokens per UTC day,
/// and concurrent streams held as leases. Time is handed in; nothing here reads a clock.
/// </summary>
public static class Quotas
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The user's own limits over the service's defaults. Zero or less, in either, is no limit: a user
    /// given 0 has none even where the service has a default.
    /// </summary>
    public static QuotaLimits Merge(UserLimits own, UserLimits defaults, TimeSpan streamLeaseLifetime) =>
        new(
            Positive(own.RequestsPerMinute ?? defaults.RequestsPerMinute),
            Positive(own.TokensPerDay ?? defaults.TokensPerDay),
            Positive(own.ConcurrentStreams ?? defaults.ConcurrentStreams),
            streamLeaseLifetime);

    /// <summary>A fresh count: the first requests window begins now, and today's usage is what the store holds.</summary>
    public static Quota Start(QuotaLimits limits, DateTimeOffset now, UsageTotals storedToday) =>
        new(limits, now, 0, DayOf(now), storedToday, UsageTotals.None, DayOf(now), ImmutableDictionary<string, DateTimeOffset>.Empty);

    /// <summary>The UTC day <paramref name="now"/> falls on: tokens per day are counted per UTC day.</summary>
    public static DateOnly DayOf(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The UTC day of <paramref name="now"/> when the quota still counts another one; the caller loads its stored usage and rolls over.</summary>
    public static DateOnly? NewDay(Quota quota, DateTimeOffset now) =>
        DayOf(now) is var today && today != quota.Day ? today : null;

    /// <summary>
    /// Counts <paramref name="day"/> from now on, starting from what the store holds for it. Usage not
    /// yet stored keeps its own day (it is written there), so it stops counting.
    /// </summary>
    public static Quota RollDay(Quota quota, DateOnly day, UsageTotals storedThatDay) =>
        quota with { Day = day, StoredToday = storedThatDay };

    /// <summary>The store's usage of the quota's day, read again after someone else wrote to it (a conversation turn).</summary>
    public static Quota StoredUsage(Quota quota, UsageTotals storedToday) =>
        quota with { StoredToday = storedToday };

    /// <summary>
    /// Usage recorded here, to be written to the store later. It counts today at once. Usage of a past
    /// day still unstored (its writes failed) joins today's rather than be lost.
    /// </summary>
    public static Quota RecordUsage(Quota quota, UsageTotals usage) =>
        quota with { Unstored = quota.Unstored.Add(usage), UnstoredDay = quota.Day };

    /// <summary>Whether unstored usage belongs to a day before the quota's (its write failed at the rollover).</summary>
    public static bool HoldsPastUsage(Quota quota) =>
        quota.Unstored != UsageTotals.None && quota.UnstoredDay != quota.Day;

    /// <summary>The unstored usage reached the store: it is counted as stored from now on.</summary>
    public static Quota UsageStored(Quota quota) =>
        quota with
        {
            StoredToday = quota.UnstoredDay == quota.Day ? quota.StoredToday.Add(quota.Unstored) : quota.StoredToday,
            Unstored = UsageTotals.None,
            UnstoredDay = quota.Day,
        };

    /// <summary>The user's usage of the quota's day, stored or not.</summary>
    public static UsageTotals UsedToday(Quota quota) =>
        quota.UnstoredDay == quota.Day ? quota.StoredToday.Add(quota.Unstored) : quota.StoredToday;

    /// <summary>
    /// A host's reservation never takes more than this share of what is left of the window's requests, so
    /// reservations shrink to one request at a time as the limit nears and no host sits on the last of them.
    /// </summary>
    public const int ReservationShare = 64;

    /// <summary>
    /// One more request: refused while today's tokens are used up (until UTC midnight), or while the
    /// current minute's requests are (until that window ends); otherwise counted in the window.
    /// </summary>
    public static (Quota Quota, Admission Admission) Admit(Quota quota, DateTimeOffset now)
    {
        var (next, reservation) = Reserve(quota, now, 1);
        return (next, reservation.Admission);
    }

    /// <summary>
    /// Up to <paramref name="wanted"/> requests counted at once, for a host to admit without asking again,
    /// refused as <see cref="Admit"/> refuses one. Fewer are granted as the window's limit nears (never more
    /// than a <see cref="ReservationShare"/>th of what is left), and one at a time while a tokens-per-day
    /// limit applies: the tokens a request uses are known only after it, so each must be checked against
    /// the day's count as it stands. Unlimited requests are granted as wanted and not counted.
    /// </summary>
    public static (Quota Quota, Reservation Reservation) Reserve(Quota quota, DateTimeOffset now, int wanted)
    {
        quota = InWindow(quota, now);
        var tokens = TokensWindow(quota, now);
        if (quota.Limits.TokensPerDay is { } tokenLimit && TokensUsed(quota, now) >= tokenLimit)
        {
            return (quota, new Reservation(new Admission.Refused("tokens", UntilMidnight(now), RequestsWindow(quota, now), tokens), 0, quota.WindowStart));
        }

        var oneAtATime = quota.Limits.TokensPerDay is not null;
        if (quota.Limits.RequestsPerMinute is not { } requestLimit)
        {
            return (quota, new Reservation(new Admission.Admitted(RateWindow.Unlimited, tokens), oneAtATime ? 1 : Math.Max(1, wanted), quota.WindowStart));
        }

        var left = requestLimit - quota.RequestsInWindow;
        if (left <= 0)
        {
            var requests = RequestsWindow(quota, now);
            return (quota, new Reservation(new Admission.Refused("requests", requests.ResetsIn, requests, tokens), 0, quota.WindowStart));
        }

        var granted = oneAtATime ? 1 : Math.Clamp(Math.Min(wanted, left / ReservationShare), 1, left);
        quota = quota with { RequestsInWindow = quota.RequestsInWindow + granted };
        return (quota, new Reservation(new Admission.Admitted(RequestsWindow(quota, now), tokens), granted, quota.WindowStart));
    }

    /// <summary>
    /// Reserved requests a host did not use, counted out of the window they were reserved in; once that
    /// window has ended they no longer count anyway, so nothing changes.
    /// </summary>
    public static Quota GiveBack(Quota quota, DateTimeOffset windowStart, int unused) =>
        unused > 0 && quota.WindowStart == windowStart
            ? quota with { RequestsInWindow = Math.Max(0, quota.RequestsInWindow - unused) }
            : quota;

    /// <summary>
    /// A place among the user's concurrent streams, under <paramref name="leaseId"/>. Leases older than
    /// the lease lifetime are freed first: their host died without giving them back.
    /// </summary>
    public static (Quota Quota, StreamLease Lease) AcquireStream(Quota quota, string leaseId, DateTimeOffset now)
    {
        if (quota.Limits.ConcurrentStreams is not { } limit)
        {
            return (quota, new StreamLease.Granted(leaseId, null));
        }

        var cutoff = now - quota.Limits.StreamLeaseLifetime;
        var streams = quota.Streams.RemoveRange(quota.Streams.Where(pair => pair.Value < cutoff).Select(pair => pair.Key));
        if (streams.Count >= limit)
        {
            return (quota with { Streams = streams }, new StreamLease.Refused(limit));
        }

        return (quota with { Streams = streams.SetItem(leaseId, now) }, new StreamLease.Granted(leaseId, limit));
    }

    /// <summary>Gives a place back. A lease not held (already given back, or freed as lost) changes nothing.</summary>
    public static Quota ReleaseStream(Quota quota, string leaseId) =>
        quota with { Streams = quota.Streams.Remove(leaseId), Background = quota.Background.Remove(leaseId) };

    /// <summary>
    /// A place for response <paramref name="responseId"/> to run in the background: one of the user's background
    /// places, and one of their streams too (a background run streams from the upstream whether or not anyone
    /// listens), leased under the response's id so that whoever learns the run ended can give it back.
    /// Places older than the lease lifetime are freed first, as lost.
    /// </summary>
    public static (Quota Quota, StreamLease Lease) AcquireBackground(Quota quota, string responseId, DateTimeOffset now)
    {
        var cutoff = now - quota.Limits.StreamLeaseLifetime;
        var background = quota.Background.RemoveRange(quota.Background.Where(pair => pair.Value < cutoff).Select(pair => pair.Key));
        if (quota.Limits.BackgroundResponses is { } limit && background.Count >= limit)
        {
            return (quota with { Background = background }, new StreamLease.BackgroundRefused(limit));
        }

        var (next, lease) = AcquireStream(quota with { Background = background }, responseId, now);
        return lease is StreamLease.Granted ? (next with { Background = background.SetItem(responseId, now) }, lease) : (next, lease);
    }

    /// <summary>
    /// The window <paramref name="now"/> falls in. Windows follow each other a minute apart from the
    /// first; a clock stepped back starts the window at <paramref name="now"/> but keeps its count, so a
    /// wait is never longer than a minute and nothing is given twice.
    /// </summary>
    private static Quota InWindow(Quota quota, DateTimeOffset now)
    {
        if (now < quota.WindowStart)
        {
            return quota with { WindowStart = now };
        }

        var elapsed = now - quota.WindowStart;
        return elapsed < Minute
            ? quota
            : quota with { WindowStart = quota.WindowStart + TimeSpan.FromTicks(elapsed.Ticks / Minute.Ticks * Minute.Ticks), RequestsInWindow = 0 };
    }

    private static RateWindow RequestsWindow(Quota quota, DateTimeOffset now) =>
        quota.Limits.RequestsPerMinute is { } limit
            ? new RateWindow(limit, Math.Max(0, limit - quota.RequestsInWindow), quota.WindowStart + Minute - now)
            : RateWindow.Unlimited;

    private static RateWindow TokensWindow(Quota quota, DateTimeOffset now) =>
        quota.Limits.TokensPerDay is { } limit
            ? new RateWindow(limit, Math.Max(0, limit - TokensUsed(quota, now)), UntilMidnight(now))
            : RateWindow.Unlimited;

    /// <summary>Tokens counted against <paramref name="now"/>'s day: none when the quota still counts another day.</summary>
    private static long TokensUsed(Quota quota, DateTimeOffset now) =>
        DayOf(now) == quota.Day ? UsedToday(quota).Tokens.TotalTokens : 0;

    private static TimeSpan UntilMidnight(DateTimeOffset now) => now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;

    private static int? Positive(int? value) => value is > 0 ? value : null;

    private static long? Positive(long? value) => value is > 0 ? value : null;
}
