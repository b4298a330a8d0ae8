using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (a) <c>POST /v1/chat/completions</c> through the service against the same request sent straight to
/// the upstream, and, for reference, through a minimal relay (<see cref="MinimalProxy"/>): the three in
/// turn, round after round.
/// </summary>
public static class StatelessLatency
{
    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        var table = results.NewTable("a", "Stateless /v1/chat/completions: added latency (ms) and throughput, service vs direct (minimal relay for reference)",
            "concurrency", "direct p50", "service p50", "added p50", "direct p99", "service p99", "added p99", "direct req/s", "service req/s", "service/direct",
            "relay added p50", "relay req/s", "relay/direct", "KB allocated/req direct", "service", "relay");
        using var client = BenchClient.Create();
        await using var proxy = await MinimalProxy.StartAsync(upstream.ChatUrl);
        foreach (var concurrency in options.StatelessLevels)
        {
            Console.Error.WriteLine($"  (a) stateless, concurrency {concurrency}");
            Task<LoadResult> Direct() => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, upstream.ChatUrl, Bodies.Chat, null));
            Task<LoadResult> Service() => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, service.ChatUrl, Bodies.Chat, ServiceUnderTest.UserKey));
            Task<LoadResult> Relay() => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, proxy.ChatUrl, Bodies.Chat, null));

            var (directs, services, relays) = await SideBySide.RunThreeAsync(options.Rounds, Direct, Service, Relay);

            var comparison = new Comparison(directs, services);
            var relay = new Comparison(directs, relays);
            table.Add(concurrency, comparison.DirectP50, comparison.ServiceP50, comparison.AddedP50, comparison.DirectP99, comparison.ServiceP99,
                comparison.AddedP99, comparison.DirectRps, comparison.ServiceRps, $"{comparison.RpsRatio:P0}",
                relay.AddedP50, relay.ServiceRps, $"{relay.RpsRatio:P0}", comparison.DirectAllocated / 1024, comparison.ServiceAllocated / 1024, relay.ServiceAllocated / 1024);
            if (comparison.Errors + relay.Errors > 0)
            {
                table.Notes.Add($"concurrency {concurrency}: {comparison.Errors + relay.Errors} failed requests");
            }

            if (concurrency == 64)
            {
                results.Check("stateless added p50 at concurrency 64", "<= 0.3 ms", comparison.AddedP50, "ms", comparison.AddedP50 <= 0.3);
                results.Check("stateless added p99 at concurrency 64", "<= 2 ms", comparison.AddedP99, "ms", comparison.AddedP99 <= 2);
                results.Check("stateless req/s vs direct at concurrency 64", ">= 50%", comparison.RpsRatio * 100, "%", comparison.RpsRatio >= 0.5);
            }
        }
    }
}
