using Conversations.Abstractions.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conversations.Grains;

/// <summary>
/// Deletes what has outlived its keeping, hourly, on every silo (deleting what is already gone is
/// harmless, so no silo needs to be in charge): idempotency records and turn keys past their 24-hour
/// window, and stored responses outside conversations past their retention.
/// </summary>
public sealed partial class ExpiryJanitor(
    IIdempotencyStore idempotency,
    IResponseStore responses,
    TimeProvider clock,
    ILogger<ExpiryJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var now = clock.GetUtcNow();
                var records = await idempotency.PurgeExpiredAsync(now, stoppingToken);
                var expired = await responses.PurgeExpiredAsync(now, stoppingToken);
                LogPurged(logger, records, expired);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged {Records} expired idempotency records and {Responses} expired responses.")]
    private static partial void LogPurged(ILogger logger, int records, int responses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge expired records; will try again in an hour.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
