using System.Collections.Concurrent;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.Core.Users;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Limits;

/// <summary>
/// This host's reservations of users' requests. Asking the user's grain for every request costs a cluster
/// round trip on the hottest path, so a host reserves several at once (<see cref="IUserGrain.Reserve"/>) and
/// admits from them until they run out or <see cref="ApiHostOptions.ReservationLifetime"/> passes, then gives
/// back what it did not use. Reserved requests are counted in the grain when reserved, so a limit is never
/// exceeded however many hosts serve the user; the price is that another host's unused reservation can
/// refuse a request early, by at most what the rules grant at once (<see cref="Quotas.ReservationShare"/>)
/// and for at most the lifetime. A host that keeps using its reservations asks for twice as many next time,
/// up to <see cref="MostAtOnce"/>; one that lets them lapse asks for half.
/// </summary>
public sealed class AdmissionBudgets(GrainReferences<IUserGrain> users, IOptions<ApiHostOptions> options, TimeProvider time) : IDisposable
{
    public const int MostAtOnce = 256;

    /// <summary>A user's reservation is forgotten once idle this long; it has been given back by then.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, Budget> _budgets = new(StringComparer.Ordinal);
    private ITimer? _sweeper;

    /// <summary>The admission for one request, from this host's reservation when it has one (no cluster call), else from the user's grain.</summary>
    public bool TryTake(string userId, out Admission admission)
    {
        admission = null!;
        return _budgets.TryGetValue(userId, out var budget) && budget.TryTake(time.GetUtcNow(), out admission);
    }

    public async ValueTask<Admission> Take(string userId)
    {
        var lifetime = options.Value.ReservationLifetime;
        var user = users.For(userId);
        if (lifetime <= TimeSpan.Zero)
        {
            return (await user.Reserve(1)).Admission;
        }

        var now = time.GetUtcNow();
        var budget = _budgets.GetOrAdd(userId, static (_, now) => new Budget(now), now);
        if (budget.TryTake(now, out var local))
        {
            return local;
        }

        var lapsed = budget.Lapsed(now);
        if (lapsed is { } unused)
        {
            user.GiveBack(unused.WindowStart, unused.Count).Ignore();
        }

        var reservation = await user.Reserve(budget.NextSize);
        StartSweeping(lifetime);
        return budget.Add(reservation, time.GetUtcNow(), lifetime);
    }

    public void Dispose() => _sweeper?.Dispose();

    /// <summary>Gives back what lapsed with nobody asking, so an idle host does not hold a user's requests until the minute ends.</summary>
    private void StartSweeping(TimeSpan lifetime)
    {
        if (_sweeper is not null)
        {
            return;
        }

        var sweeper = time.CreateTimer(static state => ((AdmissionBudgets)state!).Sweep(), this, lifetime, lifetime);
        if (Interlocked.CompareExchange(ref _sweeper, sweeper, null) is not null)
        {
            sweeper.Dispose();
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (userId, budget) in _budgets)
        {
            if (budget.Lapsed(now) is { } unused)
            {
                users.For(userId).GiveBack(unused.WindowStart, unused.Count).Ignore();
            }

            if (budget.IdleSince(now, ForgetAfter))
            {
                _budgets.TryRemove(KeyValuePair.Create(userId, budget));
            }
        }
    }

    /// <summary>One user's reservation on this host. Every member takes the lock: requests race for the last one.</summary>
    /// <param name="created">Counts as a use, so the sweep does not forget a budget whose first reservation is still on its way.</param>
    private sealed class Budget(DateTimeOffset created)
    {
        private readonly Lock _lock = new();
        private int _left;
        private int _size = 1;
        private DateTimeOffset _until;
        private DateTimeOffset _windowStart;
        private DateTimeOffset _lastUsed = created;
        private Admission.Admitted? _granted;
        private DateTimeOffset _grantedAt;

        public int NextSize
        {
            get
            {
                lock (_lock)
                {
                    return _size;
                }
            }
        }

        public bool TryTake(DateTimeOffset now, out Admission admission)
        {
            lock (_lock)
            {
                if (_left == 0 || now >= _until || _granted is null)
                {
                    admission = null!;
                    return false;
                }

                _left--;
                _lastUsed = now;
                admission = Report(_granted, now - _grantedAt);
                return true;
            }
        }

        /// <summary>What is left of a reservation that ran out of time, taken out to be given back; null when nothing is.</summary>
        public (DateTimeOffset WindowStart, int Count)? Lapsed(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (_left == 0 || now < _until)
                {
                    return null;
                }

                var unused = (_windowStart, _left);
                _left = 0;
                _size = Math.Max(1, _size / 2);
                return unused;
            }
        }

        /// <summary>Takes a new reservation (one of it for the request that asked) and answers that request.</summary>
        public Admission Add(Reservation reservation, DateTimeOffset now, TimeSpan lifetime)
        {
            lock (_lock)
            {
                _lastUsed = now;
                if (reservation.Admission is not Admission.Admitted admitted)
                {
                    return reservation.Admission;
                }

                // Used up before its time: the next one can be larger.
                if (_left == 0 && now < _until)
                {
                    _size = Math.Min(MostAtOnce, _size * 2);
                }

                // A reservation that raced this one and still has requests keeps them: the grain counted both,
                // and its latest answer already counts them among the used.
                _left = (reservation.WindowStart == _windowStart && now < _until ? _left : 0) + reservation.Granted - 1;
                _windowStart = reservation.WindowStart;
                _until = now + lifetime;
                _granted = admitted;
                _grantedAt = now;
                return Report(admitted, TimeSpan.Zero);
            }
        }

        public bool IdleSince(DateTimeOffset now, TimeSpan idle)
        {
            lock (_lock)
            {
                return _left == 0 && now - _lastUsed > idle;
            }
        }

        /// <summary>
        /// The headers' view: what the grain said was left once it counted the reservation, plus what this host
        /// still holds of it (not yet used), with the resets moved on by the time since.
        /// </summary>
        private Admission Report(Admission.Admitted granted, TimeSpan since) =>
            _left == 0 && since == TimeSpan.Zero
                ? granted
                : new Admission.Admitted(Moved(granted.Requests, _left, since), Moved(granted.Tokens, 0, since));

        private static RateWindow Moved(RateWindow window, int held, TimeSpan since) =>
            window.Limit is null ? window : window with { Remaining = window.Remaining + held, ResetsIn = window.ResetsIn - since < TimeSpan.Zero ? TimeSpan.Zero : window.ResetsIn - since };
    }
}
