using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (j) Responses run in the background: how fast a resume tells a finished response's events again (from its
/// stored record, over HTTP, parsed as a client would), and the memory a running one holds (its events kept in
/// its grain until it ends), as the GC heap after a full collection while many run, less before, per response.
/// </summary>
public static class BackgroundResponses
{
    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, Results results)
    {
        using var client = BenchClient.Create();
        await Replay(options, upstream, service, client, results);
        await Memory(options, upstream, service, client, results);
        upstream.StreamChunks = 20;
        upstream.ChunkDelay = TimeSpan.Zero;
    }

    private static async Task Replay(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, HttpClient client, Results results)
    {
        var table = results.NewTable("j", "Background responses: a resume of a finished one, told from its stored record (GET ?stream=true)",
            "chunks", "responses", "events each", "events/s p50", "whole resume p50 (ms)");
        foreach (var chunks in options.Quick ? new[] { 100, 1000 } : [100, 1000, 10_000])
        {
            Console.Error.WriteLine($"  (j) background resume, {chunks} chunks");
            upstream.StreamChunks = chunks;
            upstream.ChunkDelay = TimeSpan.Zero;
            var count = options.Quick ? 3 : 10;
            var rates = new List<double>();
            var times = new List<double>();
            var events = 0;
            for (var i = 0; i < count; i++)
            {
                var id = await Start(client, service);
                await Finished(client, service, id);
                var started = Stopwatch.GetTimestamp();
                events = await ReadAll(client, new Uri(service.ResponsesUrl + $"/{id}?stream=true"));
                var took = Stopwatch.GetElapsedTime(started);
                rates.Add(events / took.TotalSeconds);
                times.Add(took.TotalMilliseconds);
            }

            table.Add(chunks, count, events, SideBySide.Median(rates), SideBySide.Median(times));
        }
    }

    private static async Task Memory(BenchOptions options, BenchUpstream upstream, ServiceUnderTest service, HttpClient client, Results results)
    {
        var count = options.Quick ? 20 : 100;
        var table = results.NewTable("j2", $"Background responses: memory per running one ({count} running, the upstream sending a chunk every 10 ms)",
            "running", "held for (s)", "events each (about)", "GC heap delta per response (bytes)", "per event held (bytes)");
        Console.Error.WriteLine($"  (j) background memory, {count} running");
        upstream.StreamChunks = 1_000_000;
        upstream.ChunkDelay = TimeSpan.FromMilliseconds(10);
        // Warm the paths a run takes, so what is measured is the runs, not code and caches.
        await Cancel(client, service, await Start(client, service));
        var before = SettledHeap();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await Start(client, service));
        }

        // Not a synchronisation point: how long the runs are left to gather events before the heap is read.
        var held = TimeSpan.FromSeconds(3);
        await Task.Delay(held);
        var after = SettledHeap();
        var events = await DeltasSoFar(client, service, ids[^1]);
        foreach (var id in ids)
        {
            await Cancel(client, service, id);
        }

        var perResponse = (after - before) / (double)count;
        table.Add(count, held.TotalSeconds, events, perResponse, events > 0 ? perResponse / events : double.NaN);
        table.Notes.Add("The delta also holds what each run costs beside its events: its upstream request and the fake upstream's side of it (both in this process), its grain and its stored record's writes.");
    }

    private static async Task<string> Start(HttpClient client, ServiceUnderTest service)
    {
        using var request = BenchClient.Post(service.ResponsesUrl, Encoding.UTF8.GetBytes("""{"input":"Tell me a story","background":true}"""), ServiceUnderTest.UserKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task Finished(HttpClient client, ServiceUnderTest service, string id)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 120;
        while (await Status(client, service, id) is "in_progress" or "queued")
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Background response {id} did not finish within 2 minutes.");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<string> Status(HttpClient client, ServiceUnderTest service, string id)
    {
        using var json = await Get(client, service, id);
        return json.RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>The chunks a running response has had so far: its output text so far holds one word per chunk.</summary>
    private static async Task<int> DeltasSoFar(HttpClient client, ServiceUnderTest service, string id)
    {
        using var json = await Get(client, service, id);
        var output = json.RootElement.GetProperty("output");
        return output.GetArrayLength() == 0 ? 0 : output[0].GetProperty("content")[0].GetProperty("text").GetString()!.Count(c => c == ' ');
    }

    private static async Task<JsonDocument> Get(HttpClient client, ServiceUnderTest service, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service.ResponsesUrl + $"/{id}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceUnderTest.UserKey);
        using var response = await client.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task Cancel(HttpClient client, ServiceUnderTest service, string id)
    {
        using var request = BenchClient.Post(new Uri(service.ResponsesUrl + $"/{id}/cancel"), [], ServiceUnderTest.UserKey);
        request.Content = null;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reads a whole event stream; the number of events.</summary>
    private static async Task<int> ReadAll(HttpClient client, Uri url)
    {
        using var request = Stream(url);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var events = 0;
        await foreach (var _ in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events++;
        }

        return events;
    }

    private static HttpRequestMessage Stream(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceUnderTest.UserKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return request;
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
}
