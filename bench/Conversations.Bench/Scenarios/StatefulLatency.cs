using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (b) A conversation turn (<c>POST /v1/conversations/{id}/messages</c>, one conversation per worker)
/// against a direct call to the upstream. A worker moves to a fresh conversation every
/// <see cref="TurnsPerConversation"/> turns (untimed), so history stays short here; (d) measures long ones.
/// </summary>
public static class StatefulLatency
{
    public const int TurnsPerConversation = 50;

    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, string store, Results results)
    {
        var table = results.Tables.FirstOrDefault(t => t.Section == "b") ?? results.NewTable("b", "Conversation turn: added latency (ms) and throughput, service (grain + durable write) vs direct",
            "store", "concurrency", "direct p50", "service p50", "added p50", "direct p99", "service p99", "added p99", "direct req/s", "service turns/s");
        using var client = BenchClient.Create();
        foreach (var concurrency in options.StatefulLevels)
        {
            Console.Error.WriteLine($"  (b) stateful on {store}, concurrency {concurrency}");
            var conversations = new string[concurrency];
            var turns = new int[concurrency];
            async Task Prepare(int worker)
            {
                if (turns[worker] % TurnsPerConversation == 0)
                {
                    conversations[worker] = await ServiceCalls.CreateConversationAsync(client, service);
                }

                turns[worker]++;
            }

            var comparison = await SideBySide.RunAsync(
                options.Rounds,
                () => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, upstream.ChatUrl, Bodies.Chat, null)),
                () => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration,
                    worker => BenchClient.PostAsync(client, service.TurnUrl(conversations[worker]), Bodies.Turn, ServiceUnderTest.UserKey),
                    Prepare));
            table.Add(store, concurrency, comparison.DirectP50, comparison.ServiceP50, comparison.AddedP50, comparison.DirectP99, comparison.ServiceP99,
                comparison.AddedP99, comparison.DirectRps, comparison.ServiceRps);
            if (comparison.Errors > 0)
            {
                table.Notes.Add($"{store}, concurrency {concurrency}: {comparison.Errors} failed requests");
            }

            if (concurrency == 1 && store is "SQLite" or "PostgreSQL")
            {
                var limit = store == "SQLite" ? 1.0 : 3.0;
                results.Check($"stateful added p50 on {store} (concurrency 1)", $"<= {limit} ms", comparison.AddedP50, "ms", comparison.AddedP50 <= limit);
            }
        }
    }
}
