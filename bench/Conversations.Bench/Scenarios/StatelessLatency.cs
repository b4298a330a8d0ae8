using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>(a) <c>POST /v1/chat/completions</c> through the service against the same request sent straight to the upstream.</summary>
public static class StatelessLatency
{
    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        var table = results.NewTable("a", "Stateless /v1/chat/completions: added latency (ms) and throughput, service vs direct",
            "concurrency", "direct p50", "service p50", "added p50", "direct p99", "service p99", "added p99", "direct req/s", "service req/s", "service/direct");
        using var client = BenchClient.Create();
        foreach (var concurrency in options.StatelessLevels)
        {
            Console.Error.WriteLine($"  (a) stateless, concurrency {concurrency}");
            var comparison = await SideBySide.RunAsync(
                options.Rounds,
                () => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, upstream.ChatUrl, Bodies.Chat, null)),
                () => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, service.ChatUrl, Bodies.Chat, ServiceUnderTest.UserKey)));
            table.Add(concurrency, comparison.DirectP50, comparison.ServiceP50, comparison.AddedP50, comparison.DirectP99, comparison.ServiceP99,
                comparison.AddedP99, comparison.DirectRps, comparison.ServiceRps, $"{comparison.RpsRatio:P0}");
            if (comparison.Errors > 0)
            {
                table.Notes.Add($"concurrency {concurrency}: {comparison.Errors} failed requests");
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
