using Conversations.Core.Items;
using Conversations.Abstractions.Storage;
using Conversations.Bench.Load;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Grains;
using Conversations.Grains.Access;
using Microsoft.Extensions.DependencyInjection;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (d) What a turn costs as history grows: conversations seeded with 10 … 10,000 messages, turns sent
/// one at a time, against a direct call carrying the same messages (so both move the same bytes to the
/// upstream). Each conversation takes only a few turns, so its history barely grows while measured.
/// </summary>
public static class HistoryGrowth
{

    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        var table = results.NewTable("d", "Turn overhead (service p50 minus direct p50 with the same messages, ms) by stored history, concurrency 1",
            "stored messages", "request bytes", "direct p50", "service p50", "overhead p50", "direct p99", "service p99", "overhead vs smallest",
            "direct in 64 KB writes p50", "GCs per 100 turns (gen0/1/2)", "store append p50");
        using var client = BenchClient.Create();
        double? smallest = null;
        // One turn at a time gives few samples a second; the full run takes more per round for steadier medians.
        var turnsPerRound = options.Quick ? 20 : 60;
        var conversationCount = Math.Clamp(options.Rounds * turnsPerRound / 4, 4, 60);
        foreach (var size in options.HistorySizes)
        {
            Console.Error.WriteLine($"  (d) history of {size} messages: seeding {conversationCount} conversations");
            var ids = await Seeding.CreateAsync(service, conversationCount, size, Bodies.HistoryText);
            // The first turn activates the grain, which loads the history; not what this measures.
            foreach (var id in ids)
            {
                await BenchClient.PostAsync(client, service.TurnUrl(id), Bodies.Turn, ServiceUnderTest.UserKey);
            }

            var direct = Bodies.ChatWithHistory(size);
            var next = 0;
            var gcBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var serviceTurns = 0;
            var comparison = await SideBySide.RunAsync(
                options.Rounds,
                () => Sequential(turnsPerRound, () => BenchClient.PostAsync(client, upstream.ChatUrl, direct, null)),
                () => Sequential(turnsPerRound, () =>
                {
                    serviceTurns++;
                    return BenchClient.PostAsync(client, service.TurnUrl(ids[next++ % ids.Length]), Bodies.Turn, ServiceUnderTest.UserKey);
                }));
            // Over the whole comparison (direct calls included), per service turn: what the history's size costs the collector.
            var collections = Enumerable.Range(0, 3).Select(g => (GC.CollectionCount(g) - gcBefore[g]) * 100.0 / serviceTurns).ToArray();
            var segmented = await Sequential(turnsPerRound, async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, upstream.ChatUrl) { Content = new SegmentedContent(direct, 64 * 1024) };
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                return response.IsSuccessStatusCode;
            });
            smallest ??= comparison.AddedP50;
            var ratio = comparison.AddedP50 / smallest.Value;
            table.Add(size, direct.Length, comparison.DirectP50, comparison.ServiceP50, comparison.AddedP50, comparison.DirectP99, comparison.ServiceP99, $"{ratio:0.00}x", segmented.P50, $"{collections[0]:0.#}/{collections[1]:0.#}/{collections[2]:0.#}",
                await StoreAppend(service, ids[^1], turnsPerRound));
            if (size == options.HistorySizes[^1] && options.HistorySizes.Length > 1)
            {
                results.Check($"turn overhead at {size:N0} vs {options.HistorySizes[0]} messages", "<= 1.2x", ratio, "x", ratio <= 1.2);
            }
        }
    }

    /// <summary>
    /// The durable write of a turn alone: two messages appended straight to the store, after everything
    /// the turns above wrote (this conversation is used for nothing afterwards).
    /// </summary>
    private static async Task<double> StoreAppend(ServiceUnderTest service, string conversationId, int turns)
    {
        var store = service.Services.GetRequiredService<IConversationStore>();
        var stored = await store.LoadAsync(conversationId) ?? throw new InvalidOperationException($"{conversationId} is gone.");
        var sequence = stored.LastSequence;
        var now = DateTimeOffset.UtcNow;
        var timings = new List<double>();
        for (var i = 0; i < turns; i++)
        {
            Item user = new MessageItem(IdGenerator.New(Ids.MessagePrefix), ++sequence, ItemStatus.Completed, now, null, MessageRole.User, [new ContentPart.InputText("Say this is a test!")]);
            var usage = new TokenUsage(12, 6);
            Item reply = new MessageItem(IdGenerator.New(Ids.MessagePrefix), ++sequence, ItemStatus.Completed, now,
                new ReplyInfo(usage, BenchUpstream.Model, "stop", "chatcmpl-bench"), MessageRole.Assistant, [ContentPart.OutputText.Of("This is a test!")]);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var appended = await store.AppendTurnAsync(new TurnRecord(conversationId, AccessGrain.DefaultUserId, [user, reply], usage, DateOnly.FromDateTime(now.UtcDateTime)));
            if (appended.IsT1)
            {
                throw new InvalidOperationException($"The bench's own conversation was refused as stale at sequence {appended.AsT1.Sequence}.");
            }

            timings.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return SideBySide.Median(timings);
    }

    internal static async Task<LoadResult> Sequential(int turns, Func<Task<bool>> call)
    {
        var latencies = new List<double>(turns);
        var errors = 0;
        await call();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < turns; i++)
        {
            var sent = System.Diagnostics.Stopwatch.GetTimestamp();
            var ok = await call();
            if (ok)
            {
                latencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
            else
            {
                errors++;
            }
        }

        return LoadResult.From(latencies, latencies.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started), errors);
    }
}
