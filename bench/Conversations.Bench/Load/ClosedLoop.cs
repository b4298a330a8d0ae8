using System.Diagnostics;

namespace Conversations.Bench.Load;

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each send a request, wait for the whole
/// answer, and send the next. The first <c>warmup</c> is not measured; a request counts towards
/// latency when it started inside the measured window and towards throughput when it finished inside it.
/// </summary>
public static class ClosedLoop
{
    /// <param name="call">One request by worker <c>w</c>; true when it succeeded.</param>
    /// <param name="prepare">Untimed work a worker does before each request (e.g. opening a fresh conversation).</param>
    public static async Task<LoadResult> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task<bool>> call, Func<int, Task>? prepare = null)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + Ticks(warmup);
        var until = measureFrom + Ticks(duration);
        var workers = new Task<WorkerTally>[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                var tally = new WorkerTally();
                while (true)
                {
                    if (prepare is not null && Stopwatch.GetTimestamp() < until)
                    {
                        await prepare(worker);
                    }

                    var sent = Stopwatch.GetTimestamp();
                    if (sent >= until)
                    {
                        return tally;
                    }

                    bool ok;
                    try
                    {
                        ok = await call(worker);
                    }
                    catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
                    {
                        tally.LastError ??= exception.Message;
                        ok = false;
                    }

                    var answered = Stopwatch.GetTimestamp();
                    if (answered >= measureFrom && answered <= until && ok)
                    {
                        tally.Completed++;
                    }

                    if (sent >= measureFrom && answered <= until)
                    {
                        if (ok)
                        {
                            tally.Latencies.Add(Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds);
                        }
                        else
                        {
                            tally.Errors++;
                        }
                    }
                }
            });
        }

        var tallies = await Task.WhenAll(workers);
        var errors = tallies.Sum(t => t.Errors);
        if (errors > 0)
        {
            Console.Error.WriteLine($"    {errors} failed requests at concurrency {concurrency}: {tallies.Select(t => t.LastError).FirstOrDefault(e => e is not null)}");
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var completed = tallies.Sum(t => t.Latencies.Count) + errors;
        return LoadResult.From([.. tallies.SelectMany(t => t.Latencies)], tallies.Sum(t => t.Completed), duration, errors) with
        {
            // Process-wide, so other work (timers, the store's flushes) lands in it too; a negative count means the runtime's tally moved under us.
            AllocatedPerRequest = allocated < 0 ? double.NaN : allocated / (double)Math.Max(1, completed),
        };
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class WorkerTally
    {
        public List<double> Latencies { get; } = new(4096);

        public int Completed { get; set; }

        public int Errors { get; set; }

        public string? LastError { get; set; }
    }
}
