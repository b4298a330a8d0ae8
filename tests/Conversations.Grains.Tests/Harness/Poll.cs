namespace Conversations.Grains.Tests.Harness;

/// <summary>Waits for something that happens in the background (a one-way call, a timer) by asking until it holds.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>Asks <paramref name="read"/> until <paramref name="done"/> holds for its answer, and returns that answer; fails at the deadline with the last answer.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? deadline = null, string? what = null)
    {
        var limit = deadline ?? TimeSpan.FromSeconds(10);
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                Assert.Fail($"{what ?? "The condition"} did not hold within {limit.TotalSeconds:0.#} s; last seen: {value}");
            }

            await Task.Delay(Interval);
        }
    }
}
