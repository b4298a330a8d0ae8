using System.Collections.Concurrent;
using System.Diagnostics;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (c) Streams: time to first token and each chunk's relay delay, through a conversation stream and a
/// stateless stream against the same stream read straight from the upstream; then many streams held
/// at once, every one checked for lost or reordered chunks.
/// </summary>
public static class Streaming
{
    internal const int LatencyChunks = 20;
    internal static readonly TimeSpan LatencyChunkDelay = TimeSpan.FromMilliseconds(2);
    private const int HeldChunks = 50;
    private static readonly TimeSpan HeldChunkDelay = TimeSpan.FromMilliseconds(100);
    private static int markers;

    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        await MeasureLatency(options, upstream, service, results);
        await HoldMany(options, upstream, service, results);
    }

    private static async Task MeasureLatency(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        upstream.StreamChunks = LatencyChunks;
        upstream.ChunkDelay = LatencyChunkDelay;
        var concurrency = options.StreamLevel;
        Console.Error.WriteLine($"  (c) stream latency, concurrency {concurrency}");
        using var client = BenchClient.Create();
        var conversations = new string[concurrency];
        var turns = new int[concurrency];

        async Task<(string, StreamOutcome)> Direct(int worker)
        {
            var marker = NewMarker();
            return (marker, await StreamProbe.RunAsync(client, upstream.ChatUrl, Bodies.ChatStream(marker), null, marker, LatencyChunks));
        }

        async Task<(string, StreamOutcome)> Stateless(int worker)
        {
            var marker = NewMarker();
            return (marker, await StreamProbe.RunAsync(client, service.ChatUrl, Bodies.ChatStream(marker), ServiceUnderTest.UserKey, marker, LatencyChunks));
        }

        async Task<(string, StreamOutcome)> Conversation(int worker)
        {
            if (turns[worker]++ % StatefulLatency.TurnsPerConversation == 0)
            {
                conversations[worker] = await ServiceCalls.CreateConversationAsync(client, service);
            }

            var marker = NewMarker();
            return (marker, await StreamProbe.RunAsync(client, service.TurnUrl(conversations[worker]), Bodies.TurnStream(marker), ServiceUnderTest.UserKey, marker, LatencyChunks));
        }

        var sides = new (string Name, Func<int, Task<(string, StreamOutcome)>> Run)[] { ("direct", Direct), ("stateless", Stateless), ("conversation", Conversation) };
        var rounds = sides.ToDictionary(s => s.Name, _ => new List<StreamRound>());
        upstream.RecordArrivals = true;
        for (var round = 0; round < options.Rounds; round++)
        {
            var order = round % 2 == 0 ? sides : sides.Reverse().ToArray();
            foreach (var (name, run) in order)
            {
                rounds[name].Add(await RunStreams(concurrency, options.Warmup, options.Duration, run, upstream));
            }
        }

        upstream.RecordArrivals = false;

        var table = results.NewTable("c", $"Streams of {LatencyChunks} chunks {LatencyChunkDelay.TotalMilliseconds:0} ms apart, concurrency {concurrency}: time to first token and per-chunk relay delay (ms)",
            "route", "streams", "broken", "TTFT p50", "TTFT p99", "TTFT added", "way in p50", "upstream p50", "way back p50", "chunk delay p50", "chunk delay p99", "chunk delay added");
        table.Notes.Add("TTFT = way in (sent until the request reached the upstream) + upstream (until it wrote the first token) + way back (until the client read it).");
        var direct = rounds["direct"];
        foreach (var (name, _) in sides)
        {
            var side = rounds[name];
            var ttftAdded = name == "direct" ? 0 : SideBySide.Median(direct.Zip(side, (d, s) => s.TtftP50 - d.TtftP50));
            var chunkAdded = name == "direct" ? 0 : SideBySide.Median(direct.Zip(side, (d, s) => s.ChunkP50 - d.ChunkP50));
            table.Add(name, side.Sum(r => r.Streams), side.Sum(r => r.Broken),
                SideBySide.Median(side.Select(r => r.TtftP50)), SideBySide.Median(side.Select(r => r.TtftP99)), name == "direct" ? "-" : ttftAdded,
                SideBySide.Median(side.Select(r => r.WayInP50)), SideBySide.Median(side.Select(r => r.UpstreamP50)), SideBySide.Median(side.Select(r => r.WayBackP50)),
                SideBySide.Median(side.Select(r => r.ChunkP50)), SideBySide.Median(side.Select(r => r.ChunkP99)), name == "direct" ? "-" : chunkAdded);
            foreach (var problem in side.Select(r => r.FirstProblem).Where(p => p is not null).Take(1))
            {
                table.Notes.Add($"{name}: {problem}");
            }

            if (name != "direct")
            {
                results.Check($"TTFT added, {name} stream", "<= 0.5 ms", ttftAdded, "ms", ttftAdded <= 0.5);
            }
        }
    }

    private static async Task HoldMany(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        upstream.StreamChunks = HeldChunks;
        upstream.ChunkDelay = HeldChunkDelay;
        var count = options.ConcurrentStreams;
        var table = results.NewTable("c2", $"{count:N0} streams opened at once, {HeldChunks} chunks {HeldChunkDelay.TotalMilliseconds:0} ms apart, every chunk checked",
            "route", "streams", "intact", "lost/reordered/failed", "peak open at upstream", "wall time (s)", "TTFT p50", "TTFT p99", "chunk delay p50", "chunk delay p99");
        using var client = BenchClient.Create();
        Console.Error.WriteLine($"  (c) {count} concurrent streams: creating conversations");
        var conversations = await ServiceCalls.CreateConversationsAsync(client, service, count);
        var routes = new (string Name, Func<int, string, Task<StreamOutcome>> Run)[]
        {
            ("direct", (_, marker) => StreamProbe.RunAsync(client, upstream.ChatUrl, Bodies.ChatStream(marker), null, marker, HeldChunks)),
            ("stateless", (_, marker) => StreamProbe.RunAsync(client, service.ChatUrl, Bodies.ChatStream(marker), ServiceUnderTest.UserKey, marker, HeldChunks)),
            ("conversation", (i, marker) => StreamProbe.RunAsync(client, service.TurnUrl(conversations[i]), Bodies.TurnStream(marker), ServiceUnderTest.UserKey, marker, HeldChunks)),
        };
        foreach (var (name, run) in routes)
        {
            Console.Error.WriteLine($"  (c) {count} concurrent streams, {name}");
            upstream.ResetPeak();
            var started = Stopwatch.GetTimestamp();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
            {
                try
                {
                    return await run(i, NewMarker());
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
                {
                    return new StreamOutcome(false, double.NaN, [], exception.Message);
                }
            })));
            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var intact = outcomes.Count(o => o.Intact);
            var ttft = outcomes.Select(o => o.TimeToFirstTokenMs).Where(v => !double.IsNaN(v)).Order().ToArray();
            var delays = outcomes.SelectMany(o => o.ChunkDelaysMs).Order().ToArray();
            table.Add(name, count, intact, count - intact, upstream.PeakStreams, wall,
                LoadResult.Percentile(ttft, 0.5), LoadResult.Percentile(ttft, 0.99), LoadResult.Percentile(delays, 0.5), LoadResult.Percentile(delays, 0.99));
            if (outcomes.FirstOrDefault(o => !o.Intact)?.Problem is { } problem)
            {
                table.Notes.Add($"{name}: first problem: {problem}");
            }

            if (name != "direct")
            {
                results.Check($"{count:N0} concurrent {name} streams, none lost", "2,000 streams, 0 lost", count - intact, "lost", intact == count && count >= 2000);
            }
        }
    }

    internal static async Task<StreamRound> RunStreams(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task<(string Marker, StreamOutcome Outcome)>> run, BenchUpstream upstream)
    {
        var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var until = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var outcomes = new ConcurrentBag<StreamOutcome>();
        var wayIn = new ConcurrentBag<double>();
        var atUpstream = new ConcurrentBag<double>();
        var wayBack = new ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var sent = Stopwatch.GetTimestamp();
                var (marker, outcome) = await run(worker);
                if (sent >= measureFrom)
                {
                    outcomes.Add(outcome);
                    if (upstream.Arrivals.TryRemove(marker, out var arrived) && outcome.FirstTokenWrittenAt != 0)
                    {
                        wayIn.Add(Stopwatch.GetElapsedTime(outcome.SentAt, arrived).TotalMilliseconds);
                        atUpstream.Add(Stopwatch.GetElapsedTime(arrived, outcome.FirstTokenWrittenAt).TotalMilliseconds);
                        wayBack.Add(outcome.TimeToFirstTokenMs - Stopwatch.GetElapsedTime(outcome.SentAt, outcome.FirstTokenWrittenAt).TotalMilliseconds);
                    }
                }

                upstream.Arrivals.TryRemove(marker, out _);
            }
        })));
        var ttft = outcomes.Select(o => o.TimeToFirstTokenMs).Where(v => !double.IsNaN(v)).Order().ToArray();
        var delays = outcomes.SelectMany(o => o.ChunkDelaysMs).Order().ToArray();
        return new StreamRound(outcomes.Count, outcomes.Count(o => !o.Intact),
            LoadResult.Percentile(ttft, 0.5), LoadResult.Percentile(ttft, 0.99),
            LoadResult.Percentile(delays, 0.5), LoadResult.Percentile(delays, 0.99),
            outcomes.FirstOrDefault(o => !o.Intact)?.Problem,
            LoadResult.Percentile([.. wayIn.Order()], 0.5), LoadResult.Percentile([.. atUpstream.Order()], 0.5), LoadResult.Percentile([.. wayBack.Order()], 0.5));
    }

    internal static string NewMarker() => "s" + Interlocked.Increment(ref markers).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal sealed record StreamRound(int Streams, int Broken, double TtftP50, double TtftP99, double ChunkP50, double ChunkP99, string? FirstProblem, double WayInP50, double UpstreamP50, double WayBackP50);
}
