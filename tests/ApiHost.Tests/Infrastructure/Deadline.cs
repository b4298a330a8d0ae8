using System.Diagnostics;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>"Within N seconds" as a client can check it, by polling.</summary>
public static class Deadline
{
    /// <summary>
    /// Polls until <paramref name="condition"/> holds. A probe sent before the deadline may be answered
    /// after it, so the verdict is the first probe sent at or after the deadline: if even that one
    /// fails the condition, the promise was broken. Answers the last value seen.
    /// </summary>
    public static async Task<T> Within<T>(TimeSpan deadline, Func<Task<T>> probe, Func<T, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var sentAt = clock.Elapsed;
            var value = await probe();
            if (condition(value) || sentAt >= deadline)
            {
                return value;
            }

            var wait = TimeSpan.FromMilliseconds(20);
            var left = deadline - clock.Elapsed;
            await Task.Delay(left > TimeSpan.Zero && left < wait ? left : wait);
        }
    }
}
