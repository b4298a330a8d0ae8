using Xunit;

namespace Conversations.Testing.Polling;

/// <summary>
/// The one way tests wait for what happens in the background (a one-way call, a cache expiring, a log
/// line, another process starting): ask again until the answer is right, within a deadline. Where there
/// is a signal to wait on instead, wait on the signal.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Asks <paramref name="probe"/> until <paramref name="condition"/> holds for its answer, and returns
    /// the last answer, whether or not it holds, for the caller to assert on. This is "within N seconds"
    /// as a client can check it: a probe sent before the deadline may be answered after it, so the verdict
    /// is the answer to the first probe sent at or after the deadline.
    /// </summary>
    public static async Task<T> Within<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan deadline) =>
        (await Poll(probe, condition, deadline)).Answer;

    /// <summary>
    /// Like <see cref="Within"/>, but fails the test at the deadline, saying <paramref name="what"/> did not
    /// happen and what the last answer was; otherwise returns the answer that held.
    /// </summary>
    /// <param name="deadline"><see cref="DefaultDeadline"/> when null.</param>
    public static async Task<T> Holds<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var (answer, held) = await Poll(probe, condition, limit);
        Assert.True(held, $"{what} did not happen within {limit.TotalSeconds:0.#} s; last seen: {answer}");
        return answer;
    }

    private static async Task<(T Answer, bool Held)> Poll<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan deadline)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var sentAt = TimeProvider.System.GetElapsedTime(started);
            var answer = await probe();
            var held = condition(answer);
            if (held || sentAt >= deadline)
            {
                return (answer, held);
            }

            var left = deadline - TimeProvider.System.GetElapsedTime(started);
            await Task.Delay(left > TimeSpan.Zero && left < Interval ? left : Interval);
        }
    }
}
