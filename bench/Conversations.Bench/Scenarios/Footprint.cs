using System.Diagnostics;
using Conversations.Abstractions.Grains;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;
using Conversations.Grains.Access;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (e) Memory per active conversation: many conversations (one turn of history each) are activated
/// and left idle; the GC heap after a full collection, before and after, less the text the
/// conversations hold, divided by their number.
/// </summary>
public static class Footprint
{
    public static async Task RunAsync(BenchOptions options, string upstreamBaseUrl, Results results)
    {
        var count = options.Conversations;
        await using var service = await ServiceUnderTest.StartAsync(upstreamBaseUrl);
        Console.Error.WriteLine($"  (e) footprint: seeding {count:N0} conversations");
        var ids = await Seeding.CreateAsync(service, count, 2, Text);
        // Warm the paths activation takes, so what is measured is the activations, not code and caches.
        await Activate(service, ids.AsMemory(0, Math.Min(100, ids.Length)));
        var heapBefore = SettledHeap();
        var workingSetBefore = WorkingSet();
        Console.Error.WriteLine($"  (e) footprint: activating {count:N0} conversations");
        var started = Stopwatch.GetTimestamp();
        await Activate(service, ids.AsMemory(Math.Min(100, ids.Length)));
        var activation = Stopwatch.GetElapsedTime(started);
        var activated = ids.Length - Math.Min(100, ids.Length);
        var heapAfter = SettledHeap();
        var workingSetAfter = WorkingSet();

        // The text they hold: each message's content, as UTF-16.
        var textBytes = 2.0 * (Text(0).Length + Text(1).Length);
        var perConversation = (heapAfter - heapBefore) / (double)activated;
        var beyondText = perConversation - textBytes;
        var table = results.NewTable("e", $"Memory per active, idle conversation ({activated:N0} activated, 2 messages each)",
            "conversations", "GC heap delta (MiB)", "per conversation (bytes)", "of which text (bytes)", "beyond text (bytes)", "working set delta per conversation (bytes)", "activations/s");
        table.Add(activated, (heapAfter - heapBefore) / (1024.0 * 1024), perConversation, textBytes, beyondText,
            (workingSetAfter - workingSetBefore) / (double)activated, activated / activation.TotalSeconds);
        results.Check("memory per idle active conversation beyond its text", "<= 4 KB", beyondText / 1024, "KB", beyondText <= 4096);
        GC.KeepAlive(ids);
    }

    private static string Text(int index) => index % 2 == 0 ? "Hello, how are you today?" : "I am fine, thank you for asking.";

    private static async Task Activate(ServiceUnderTest service, ReadOnlyMemory<string> ids)
    {
        await Parallel.ForAsync(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var answer = await service.Grains.GetGrain<IConversationGrain>(ids.Span[i]).Get(AccessGrain.DefaultUserId);
            if (!answer.IsT0)
            {
                throw new InvalidOperationException($"Conversation {ids.Span[i]} did not load: {answer.AsT1}");
            }
        });
    }

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
