using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Access;

/// <summary>
/// Counts failed keys per client address with a fixed-window rate limiter partitioned by address, so that
/// guessing keys from one address is slowed and then refused, while every other address is untouched.
/// Only failures take permits: a valid key never uses up its address's allowance. A refused address is
/// refused before its key is even checked, for the rest of the window, valid keys included; otherwise the
/// difference between a 429 and a 200 would tell a guesser which guess was right.
/// </summary>
public sealed partial class FailedKeyThrottle : IDisposable
{
    private readonly FailedKeyOptions _options;
    private readonly PartitionedRateLimiter<IPAddress>? _failures;
    private readonly ILogger<FailedKeyThrottle> _logger;

    /// <summary>
    /// The addresses that used up their failures, with when (<see cref="Environment.TickCount64"/>): only these
    /// need the limiter's answer. Every other request, nearly all of them, is let through without taking the
    /// partitioned limiter's lock, which all requests would otherwise share.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPAddress, long> _refusing = new();

    public FailedKeyThrottle(IOptions<FailedKeyOptions> options, ILogger<FailedKeyThrottle> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.Limit > 0)
        {
            // The partitioned limiter replenishes every partition from one timer and drops partitions that
            // have been full for a while, so addresses seen once cost nothing for long.
            _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(
                address,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = _options.Limit,
                    Window = _options.Window,
                    QueueLimit = 0,
                    AutoReplenishment = false,
                }));
        }
    }

    /// <summary>How long the client at <paramref name="address"/> must wait, when it has used up its failures; null when it may try.</summary>
    public TimeSpan? Refusal(IPAddress? address)
    {
        if (_failures is null || _refusing.IsEmpty)
        {
            return null;
        }

        var partition = ClientAddresses.PartitionOf(address);
        if (!_refusing.ContainsKey(partition))
        {
            return null;
        }

        // Asking for no permit only looks: it is refused exactly when the window's failures are used up.
        using var lease = _failures.AttemptAcquire(partition, 0);
        if (lease.IsAcquired)
        {
            _refusing.TryRemove(partition, out _);
            return null;
        }

        return RetryAfter(lease);
    }

    /// <summary>Counts one failed key from <paramref name="address"/>, and says how long its answer should wait.</summary>
    public TimeSpan RecordFailure(IPAddress? address)
    {
        if (_failures is null)
        {
            return TimeSpan.Zero;
        }

        var partition = ClientAddresses.PartitionOf(address);
        using var lease = _failures.AttemptAcquire(partition, 1);
        var left = _failures.GetStatistics(partition)?.CurrentAvailablePermits ?? 0;
        if (left == 0)
        {
            Refusing(partition);
            if (lease.IsAcquired)
            {
                LogRefusing(_logger, partition, _options.Limit, _options.Window);
            }
        }

        return _options.Limit - left > _options.SlowAfter ? _options.Delay : TimeSpan.Zero;
    }

    public void Dispose() => _failures?.Dispose();

    /// <summary>Marks an address as refused; addresses marked longer than a window ago and never seen since are dropped once there are many.</summary>
    private void Refusing(IPAddress partition)
    {
        var now = Environment.TickCount64;
        _refusing[partition] = now;
        if (_refusing.Count > 10_000)
        {
            foreach (var (stale, since) in _refusing)
            {
                if (now - since > (long)_options.Window.TotalMilliseconds)
                {
                    _refusing.TryRemove(KeyValuePair.Create(stale, since));
                }
            }
        }
    }

    private TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : _options.Window;

    // The address only: the keys tried are never logged.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {Address} sent {Limit} failed keys within {Window}; its keys are refused until the window ends.")]
    private static partial void LogRefusing(ILogger logger, IPAddress address, int limit, TimeSpan window);
}
