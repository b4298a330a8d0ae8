using System.Text.Json;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (k) The service beside a real peer, the Portkey AI Gateway (<see cref="PortkeyGateway"/>), on the same
/// <c>POST /v1/chat/completions</c> to the same fake upstream, each against a direct call: the three take
/// turns within each round, as in (a). The minimal relay of (a) is the floor of any .NET gateway here; a
/// published gateway that anyone can install puts the service's cost next to what users pick instead, and
/// installing it from the npm registry at a pinned version in the run itself makes that comparison
/// reproducible on any machine with Node. Without Node the section says it was skipped.
/// <para>
/// Portkey runs in a Node process of its own (one event loop); the service runs in the bench's process. Both
/// share the machine's cores with the load generator and the upstream.
/// </para>
/// </summary>
public static class PeerGateway
{
    /// <summary>What the service sends the upstream as its key (<see cref="ServiceUnderTest"/>); Portkey passes the caller's on.</summary>
    private const string UpstreamKey = "sk-bench-upstream";

    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        var table = results.NewTable("k", $"Peer gateway: the service and Portkey AI Gateway {PortkeyGateway.Version} on /v1/chat/completions, added latency (ms) and throughput vs direct",
            "concurrency", "direct p50", "service added p50", "Portkey added p50", "direct req/s", "service req/s", "service/direct", "Portkey req/s", "Portkey/direct",
            "failed: direct / service / Portkey");
        if (!PortkeyGateway.NodeFound())
        {
            table.Notes.Add("skipped: Node.js not found");
            Console.Error.WriteLine("  (k) skipped: Node.js not found");
            return;
        }

        var node = await PortkeyGateway.NodeVersionAsync();
        Console.Error.WriteLine($"  (k) installing {PortkeyGateway.Package}@{PortkeyGateway.Version} from the npm registry (Node.js {node})");
        PortkeyGateway gateway;
        try
        {
            gateway = await PortkeyGateway.StartAsync(upstream.BaseUrl);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // The npm registry out of reach (or an interrupt during the install) should not cost the other sections' figures: the run goes on and says why this one is empty.
            NotMeasured(table, exception.Message);
            return;
        }

        await using (gateway)
        {
            using var client = BenchClient.Create();
            using var viaPortkey = BenchClient.Create();
            foreach (var (name, value) in gateway.RoutingHeaders)
            {
                viaPortkey.DefaultRequestHeaders.Add(name, value);
            }

            table.Notes.Add($"Portkey {PortkeyGateway.Version} on Node.js {node}: {gateway.CommandLine}; headers {string.Join(", ", gateway.RoutingHeaders.Select(h => $"{h.Name}: {h.Value}"))}; the caller's Authorization goes on to the upstream");
            var expected = await AnswerAsync(client, upstream.ChatUrl, null);
            var answered = await AnswerAsync(viaPortkey, gateway.ChatUrl, UpstreamKey);
            if (answered != expected)
            {
                NotMeasured(table, $"Portkey answered {answered} where the upstream answers {expected}");
                return;
            }

            foreach (var concurrency in options.PeerLevels)
            {
                Console.Error.WriteLine($"  (k) peer gateway, concurrency {concurrency}");
                Task<LoadResult> Direct() => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, upstream.ChatUrl, Bodies.Chat, null));
                Task<LoadResult> Service() => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(client, service.ChatUrl, Bodies.Chat, ServiceUnderTest.UserKey));
                Task<LoadResult> Portkey() => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => BenchClient.PostAsync(viaPortkey, gateway.ChatUrl, Bodies.Chat, UpstreamKey));

                var (directs, services, portkeys) = await SideBySide.RunThreeAsync(options.Rounds, Direct, Service, Portkey, () => gateway.Stopped);
                if (gateway.Stopped)
                {
                    NotMeasured(table, $"interrupted at concurrency {concurrency}");
                    return;
                }

                var ours = new Comparison(directs, services);
                var peer = new Comparison(directs, portkeys);
                table.Add(concurrency, ours.DirectP50, ours.AddedP50, peer.AddedP50, ours.DirectRps, ours.ServiceRps, $"{ours.RpsRatio:P0}",
                    peer.ServiceRps, $"{peer.RpsRatio:P0}", $"{directs.Sum(r => r.Errors)} / {services.Sum(r => r.Errors)} / {portkeys.Sum(r => r.Errors)}");
            }
        }
    }

    private static void NotMeasured(Table table, string why)
    {
        table.Notes.Add($"not measured: {why}");
        Console.Error.WriteLine($"  (k) not measured: {why}");
    }

    /// <summary>The status, completion id and reply text of one answer: enough to tell the fake upstream's canned completion.</summary>
    private static async Task<string> AnswerAsync(HttpClient client, Uri url, string? key)
    {
        try
        {
            using var request = BenchClient.Post(url, Bodies.Chat, key);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return $"{(int)response.StatusCode} {Reply(body)}";
        }
        catch (HttpRequestException exception)
        {
            return $"no answer ({exception.Message})";
        }
    }

    private static string Reply(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var id = json.RootElement.GetProperty("id").GetString();
            var reply = json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
            return $"{id} \"{reply}\"";
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return body;
        }
    }
}
