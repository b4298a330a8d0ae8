using System.Text;
using System.Text.Json;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;
using Conversations.Core.Conversations;
using Conversations.Core.Responses;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (i) What fitting a context into the model's window costs a turn: conversations with
/// <c>truncation: "auto"</c> and a window the bench model is given, with about 1,000 and about 100,000
/// tokens of history, turns one at a time against a direct call carrying the same messages. The window
/// holds both, so the same bytes go upstream on both sides and the difference is the counting and
/// fitting; a turn must not count the whole history again. Also the memory a conversation's counted
/// history holds once active.
/// </summary>
public static class ContextFitting
{
    /// <summary>The bench model's window here: larger than the largest history, so nothing is left out.</summary>
    private const int Window = 200_000;

    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, Results results)
    {
        await using var service = await ServiceUnderTest.StartAsync(upstream.BaseUrl, extra: new Dictionary<string, string?>
        {
            [$"Context:Windows:{BenchUpstream.Model}"] = Window.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var table = results.NewTable("i", $"Turn overhead with truncation auto (window {Window:N0} tokens) by history size, concurrency 1 (ms), and the heap an active counted history holds",
            "stored messages", "history tokens", "direct p50", "service p50", "overhead p50", "overhead vs smallest", "heap per conversation (KB)", "heap per message (bytes)");
        using var client = BenchClient.Create();
        var settings = ConversationSettings.ForModel(BenchUpstream.Model) with { Truncation = Truncation.Auto };
        var turnsPerRound = options.Quick ? 20 : 60;
        double? smallest = null;
        // About 20 tokens a message (the history text, its role and framing): 50 and 5,000 messages.
        foreach (var messages in new[] { 50, 5_000 })
        {
            var count = messages > 1_000 ? 4 : 40;
            Console.Error.WriteLine($"  (i) history of {messages} messages, truncation auto: seeding {count} conversations");
            var ids = await Seeding.CreateAsync(service, count, messages, Bodies.HistoryText, settings);
            var tokens = await InputTokens(client, service, ids[0]);

            // The first turn activates each grain, which loads and counts its history: what the heap figure holds.
            var heapBefore = Heap();
            foreach (var id in ids)
            {
                await BenchClient.PostAsync(client, service.TurnUrl(id), Bodies.Turn, ServiceUnderTest.UserKey);
            }

            var perConversation = (Heap() - heapBefore) / (double)count;
            var direct = Bodies.ChatWithHistory(messages);
            var next = 0;
            var comparison = await SideBySide.RunAsync(
                options.Rounds,
                () => HistoryGrowth.Sequential(turnsPerRound, () => BenchClient.PostAsync(client, upstream.ChatUrl, direct, null)),
                () => HistoryGrowth.Sequential(turnsPerRound, () => BenchClient.PostAsync(client, service.TurnUrl(ids[next++ % ids.Length]), Bodies.Turn, ServiceUnderTest.UserKey)));
            smallest ??= comparison.AddedP50;
            var ratio = comparison.AddedP50 / smallest.Value;
            table.Add(messages, tokens, comparison.DirectP50, comparison.ServiceP50, comparison.AddedP50, $"{ratio:0.00}x", perConversation / 1024, perConversation / messages);
            if (messages > 1_000)
            {
                results.Check($"turn overhead with ~{tokens / 1000:N0}k tokens of history vs ~1k, truncation auto", "<= 1.5x", ratio, "x", ratio <= 1.5);
            }
        }
    }

    /// <summary>The conversation's input tokens as the service counts them (<c>POST /v1/responses/input_tokens</c>).</summary>
    private static async Task<long> InputTokens(HttpClient client, ServiceUnderTest service, string conversationId)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{BenchUpstream.Model}}","conversation":"{{conversationId}}","input":"Say this is a test!"}""");
        using var request = BenchClient.Post(new Uri(service.ResponsesUrl, "responses/input_tokens"), body, ServiceUnderTest.UserKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.GetProperty("input_tokens").GetInt64()
            : throw new InvalidOperationException($"input_tokens answered {(int)response.StatusCode}: {text}");
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
