using System.Text;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (h) A Responses API turn (<c>POST /v1/responses</c>) on a conversation and on a
/// <c>previous_response_id</c> chain, single-shot and streamed, side by side with a <c>/messages</c>
/// turn and with a direct Chat Completions call carrying as many messages as a turn sends on average.
/// Every worker starts a fresh conversation (or chain) every <see cref="TurnsPerConversation"/> turns,
/// so a turn sends 1 to 19 messages upstream, 10 on average.
/// </summary>
public static class ResponsesLatency
{
    public const int TurnsPerConversation = 10;
    private const string Input = "Say this is a test!";

    private enum Route
    {
        Direct,
        Messages,
        Conversation,
        Chain,
    }

    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        using var client = BenchClient.Create();
        await SingleShot(options, upstream, service, client, results);
        await Streamed(options, upstream, service, client, results);
    }

    private static async Task SingleShot(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, HttpClient client, Results results)
    {
        var table = results.NewTable("h", $"Responses API turn, single-shot: added latency (ms) over a direct call carrying {TurnsPerConversation} messages, beside a /messages turn",
            "route", "concurrency", "direct p50", "service p50", "added p50", "added p99", "added vs /messages p50", "service turns/s");
        var direct = Bodies.ChatWithHistory(TurnsPerConversation);
        foreach (var concurrency in options.StatefulLevels.Where(level => level <= 16))
        {
            Console.Error.WriteLine($"  (h) Responses turns single-shot, concurrency {concurrency}");
            var workers = new Workers(concurrency);
            async Task<bool> Call(Route route, int worker) => route switch
            {
                Route.Direct => await BenchClient.PostAsync(client, upstream.ChatUrl, direct, null),
                Route.Messages => await BenchClient.PostAsync(client, service.TurnUrl(workers.Conversations[worker]), Bodies.Turn, ServiceUnderTest.UserKey),
                Route.Conversation => await BenchClient.PostAsync(client, service.ResponsesUrl, OnConversation(workers.Conversations[worker], stream: false), ServiceUnderTest.UserKey),
                _ => workers.Chained(worker, await PostForIdAsync(client, service.ResponsesUrl, OnChain(workers.Previous[worker], stream: false))),
            };

            var rounds = await Rounds(options, route => ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration,
                worker => Call(route, worker), worker => workers.Prepare(route, worker, client, service)));
            var directRounds = rounds[Route.Direct];
            foreach (var route in new[] { Route.Messages, Route.Conversation, Route.Chain })
            {
                var side = rounds[route];
                var added = SideBySide.Median(directRounds.Zip(side, (d, s) => s.P50 - d.P50));
                var overMessages = route == Route.Messages ? double.NaN : SideBySide.Median(rounds[Route.Messages].Zip(side, (m, s) => s.P50 - m.P50));
                table.Add(Name(route), concurrency, SideBySide.Median(directRounds.Select(r => r.P50)), SideBySide.Median(side.Select(r => r.P50)), added,
                    SideBySide.Median(directRounds.Zip(side, (d, s) => s.P99 - d.P99)), route == Route.Messages ? "-" : overMessages,
                    SideBySide.Median(side.Select(r => r.RequestsPerSecond)));
                if (side.Sum(r => r.Errors) is > 0 and var errors)
                {
                    table.Notes.Add($"{Name(route)}, concurrency {concurrency}: {errors} failed requests");
                }

                if (route != Route.Messages)
                {
                    results.Check($"single-shot {Name(route)} over /messages (concurrency {concurrency})", "<= 0.3 ms", overMessages, "ms", overMessages <= 0.3);
                }
            }
        }
    }

    private static async Task Streamed(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, HttpClient client, Results results)
    {
        var table = results.NewTable("h2", $"Responses API turn, streamed ({Streaming.LatencyChunks} chunks {Streaming.LatencyChunkDelay.TotalMilliseconds:0} ms apart): time to first token and per-chunk delay (ms)",
            "route", "concurrency", "streams", "broken", "TTFT p50", "TTFT added", "TTFT added vs /messages", "chunk delay p50", "chunk delay added");
        upstream.StreamChunks = Streaming.LatencyChunks;
        upstream.ChunkDelay = Streaming.LatencyChunkDelay;
        upstream.RecordArrivals = true;
        foreach (var concurrency in options.StatefulLevels.Where(level => level <= 16))
        {
            Console.Error.WriteLine($"  (h) Responses turns streamed, concurrency {concurrency}");
            var workers = new Workers(concurrency);
            async Task<(string, StreamOutcome)> Run(Route route, int worker)
            {
                await workers.Prepare(route, worker, client, service);
                var marker = Streaming.NewMarker();
                var text = $"Tell me a story @@{marker}@@";
                var outcome = route switch
                {
                    Route.Direct => await StreamProbe.RunAsync(client, upstream.ChatUrl, Bodies.ChatStream(marker), null, marker, Streaming.LatencyChunks),
                    Route.Messages => await StreamProbe.RunAsync(client, service.TurnUrl(workers.Conversations[worker]), Bodies.TurnStream(marker), ServiceUnderTest.UserKey, marker, Streaming.LatencyChunks),
                    Route.Conversation => await StreamProbe.RunAsync(client, service.ResponsesUrl, OnConversation(workers.Conversations[worker], stream: true, text), ServiceUnderTest.UserKey, marker, Streaming.LatencyChunks),
                    _ => await StreamProbe.RunAsync(client, service.ResponsesUrl, OnChain(workers.Previous[worker], stream: true, text), ServiceUnderTest.UserKey, marker, Streaming.LatencyChunks),
                };
                if (route == Route.Chain)
                {
                    workers.Chained(worker, outcome.ResponseId);
                }

                return (marker, outcome);
            }

            var rounds = await Rounds(options, route => Streaming.RunStreams(concurrency, options.Warmup, options.Duration, worker => Run(route, worker), upstream));
            var direct = rounds[Route.Direct];
            foreach (var route in Enum.GetValues<Route>())
            {
                var side = rounds[route];
                var isDirect = route == Route.Direct;
                var ttftAdded = SideBySide.Median(direct.Zip(side, (d, s) => s.TtftP50 - d.TtftP50));
                var overMessages = SideBySide.Median(rounds[Route.Messages].Zip(side, (m, s) => s.TtftP50 - m.TtftP50));
                table.Add(Name(route), concurrency, side.Sum(r => r.Streams), side.Sum(r => r.Broken), SideBySide.Median(side.Select(r => r.TtftP50)),
                    isDirect ? "-" : ttftAdded, route is Route.Conversation or Route.Chain ? overMessages : "-",
                    SideBySide.Median(side.Select(r => r.ChunkP50)), isDirect ? "-" : SideBySide.Median(direct.Zip(side, (d, s) => s.ChunkP50 - d.ChunkP50)));
                foreach (var problem in side.Select(r => r.FirstProblem).Where(p => p is not null).Take(1))
                {
                    table.Notes.Add($"{Name(route)}, concurrency {concurrency}: {problem}");
                }

                if (route is Route.Conversation or Route.Chain)
                {
                    results.Check($"streamed {Name(route)} TTFT over /messages (concurrency {concurrency})", "<= 0.3 ms", overMessages, "ms", overMessages <= 0.3);
                }
            }
        }

        upstream.RecordArrivals = false;
    }

    /// <summary>Each route once per round, in alternating order, so drift of the shared machine lands on all of them.</summary>
    private static async Task<Dictionary<Route, List<T>>> Rounds<T>(BenchOptions options, Func<Route, Task<T>> measure)
    {
        var routes = Enum.GetValues<Route>();
        var rounds = routes.ToDictionary(route => route, _ => new List<T>());
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var route in round % 2 == 0 ? routes : routes.Reverse())
            {
                rounds[route].Add(await measure(route));
            }
        }

        return rounds;
    }

    private static string Name(Route route) => route switch
    {
        Route.Direct => "direct",
        Route.Messages => "/messages turn",
        Route.Conversation => "response on a conversation",
        _ => "response on a chain",
    };

    private static byte[] OnConversation(string conversationId, bool stream, string input = Input) => Encoding.UTF8.GetBytes(
        $$"""{"model":"bench-model","conversation":"{{conversationId}}","input":"{{input}}","stream":{{(stream ? "true" : "false")}}}""");

    private static byte[] OnChain(string? previous, bool stream, string input = Input) => Encoding.UTF8.GetBytes(previous is null
        ? $$"""{"model":"bench-model","input":"{{input}}","stream":{{(stream ? "true" : "false")}}}"""
        : $$"""{"model":"bench-model","previous_response_id":"{{previous}}","input":"{{input}}","stream":{{(stream ? "true" : "false")}}}""");

    /// <summary>Sends a POST and reads the whole answer; the response id it names (the answer's first <c>"id"</c>), or null for a failure.</summary>
    private static async Task<string?> PostForIdAsync(HttpClient client, Uri url, byte[] body)
    {
        using var request = BenchClient.Post(url, body, ServiceUnderTest.UserKey);
        using var response = await client.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var at = answer.AsSpan().IndexOf("\"id\":\""u8);
        var rest = answer.AsSpan(at + 6);
        return Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)'"')]);
    }

    /// <summary>Each worker's conversation and chain: a fresh one every <see cref="TurnsPerConversation"/> turns (untimed).</summary>
    private sealed class Workers(int count)
    {
        private readonly int[] _turns = new int[count];

        public string[] Conversations { get; } = new string[count];

        public string?[] Previous { get; } = new string?[count];

        public async Task Prepare(Route route, int worker, HttpClient client, ServiceUnderTest service)
        {
            if (route == Route.Direct || _turns[worker]++ % TurnsPerConversation != 0)
            {
                return;
            }

            Previous[worker] = null;
            Conversations[worker] = await ServiceCalls.CreateConversationAsync(client, service);
        }

        /// <summary>The next turn of the worker's chain continues <paramref name="responseId"/>; true when there is one.</summary>
        public bool Chained(int worker, string? responseId)
        {
            Previous[worker] = responseId;
            return responseId is not null;
        }
    }
}
