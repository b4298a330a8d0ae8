using Conversations.Abstractions.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conversations.Grains.Idempotency;

/// <summary>
/// Deletes idempotency records and turn keys past their 24-hour window, hourly, on every silo
/// (deleting what is already gone is harmless, so no silo needs to be in charge).
/// </summary>
public sealed partial class IdempotencyJanitor(IIdempotencyStore store, TimeProvider clock, ILogger<IdempotencyJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await store.PurgeExpiredAsync(clock.GetUtcNow(), stoppingToken);
                LogPurged(logger, purged);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged {Count} expired idempotency records.")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge expired idempotency records; will try again in an hour.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
