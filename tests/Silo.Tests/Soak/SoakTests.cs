using System.Globalization;
using System.Text;
using Conversations.Abstractions.Users;
using Conversations.Core.Users;
using Conversations.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Conversations.Silo.Tests.Soak;

/// <summary>
/// The soak: mixed traffic (single-shot, streamed and cut-short turns, Responses API turns, stateless calls,
/// an admin creating users and issuing and revoking keys) against the real multi-process cluster, with a silo
/// restarted (SIGTERM, then a new one) half way. It checks that no answer was a 5xx but the documented 503s of
/// the restart, that every user's usage equals exactly what its conversations stored plus what its stateless
/// calls were answered with, that no stream slot leaked, and that the service still answers; it reports the
/// processes' memory over time. In CI it runs for a minute and checks correctness; <c>bench/soak.sh</c> runs it
/// for 30 minutes (<c>CONVERSATIONS_SOAK_DURATION</c>) and then also requires memory to stay flat after warm-up.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class SoakTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Users = 3;
    private const int WorkersPerUser = 2;
    private const int StreamSlots = 4;

    /// <summary>From this long on, the soak also requires flat memory (a minute says nothing about leaks).</summary>
    private static readonly TimeSpan LongEnoughForMemory = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Memory is compared from here on: by then conversations and users that went quiet at the start have been
    /// idle for Orleans' collection age (15 minutes) and their activations are gone, so what grows after is a leak.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromMinutes(16);

    private static readonly TimeSpan Duration =
        TimeSpan.TryParse(Environment.GetEnvironmentVariable("CONVERSATIONS_SOAK_DURATION"), CultureInfo.InvariantCulture, out var configured)
            ? configured
            : TimeSpan.FromSeconds(60);

    private readonly SoakOutcomes _outcomes = new();
    private readonly List<MemorySample> _samples = [];
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await ScaledOutCluster.StartAsync(silos: 2, apiHosts: 2, new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Mixed_traffic_through_a_silo_restart_keeps_usage_exact_leaks_no_stream_slot_and_fails_only_as_documented()
    {
        var admin = _cluster.ApiHosts[0].Client(ClusterKeys.Admin);
        var load = new SoakLoad(_outcomes);
        var workers = new List<SoakLoad.Worker>();
        for (var u = 0; u < Users; u++)
        {
            var (userId, key) = await NewUser(admin, $"soak-{u}");
            for (var w = 0; w < WorkersPerUser; w++)
            {
                workers.Add(await SoakLoad.StartWorkerAsync(_cluster.ApiHosts[(u + w) % _cluster.ApiHosts.Count], userId, key, seed: (u * 31) + w));
            }
        }

        var started = TimeProvider.System.GetTimestamp();
        using var stop = new CancellationTokenSource(Duration);
        var traffic = workers.Select(worker => load.RunAsync(worker, stop.Token)).Append(load.AdminAsync(admin, stop.Token)).ToList();
        var sampling = Sample(started, stop.Token);
        await Task.Delay(Duration / 2);
        _outcomes.RestartStarted();
        await _cluster.RestartSiloAsync(0);
        _outcomes.RestartEnded();
        await Task.WhenAll(traffic);
        await sampling;

        var report = Report(workers);
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("CONVERSATIONS_SOAK_REPORT") is { Length: > 0 } reportPath)
        {
            await File.WriteAllTextAsync(reportPath, report);
        }

        Assert.True(_outcomes.Violations.Count == 0, $"{_outcomes.Violations.Count} answers broke the rules, first: {string.Join("\n", _outcomes.Violations.Take(5))}");
        Assert.True(_outcomes.Answers.Where(a => a.Key.Status == 200).Sum(a => a.Value) > 10 * workers.Count, $"too little traffic to tell anything:\n{report}");
        foreach (var user in workers.GroupBy(w => w.UserId))
        {
            await AssertUsageExact(user.First());
            await AssertNoStreamSlotLeaked(user.Key);
        }

        Assert.Equal("After the soak", await workers[0].Client.Turn(workers[0].Conversation, "Say after the soak"));
        if (Duration >= LongEnoughForMemory)
        {
            AssertMemoryFlat();
        }
    }

    /// <summary>The user's usage equals what its conversations stored (turns, cut ones included) plus what its stateless calls were answered with.</summary>
    private async Task AssertUsageExact(SoakLoad.Worker worker)
    {
        var listed = new List<JsonElement>();
        for (string? after = null; ;)
        {
            using var page = await worker.Client.GetAsync(after is null ? "/v1/conversations?limit=100" : $"/v1/conversations?limit=100&after={after}");
            var json = await page.ReadJson();
            listed.AddRange(json.GetProperty("data").EnumerateArray());
            if (!json.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            after = json.GetProperty("last_id").GetString();
        }

        var stored = (Requests: listed.Sum(c => c.GetProperty("usage").GetProperty("requests").GetInt64()),
            Tokens: listed.Sum(c => c.GetProperty("usage").GetProperty("total_tokens").GetInt64()));
        var stateless = _outcomes.Stateless.TryGetValue(worker.UserId, out var used) ? used : (0, 0);
        var expected = (stored.Requests + stateless.Requests, stored.Tokens + stateless.Tokens);

        // Stateless usage reaches the store in batches, a second apart.
        var counted = await Eventually.Within(() => Usage(worker.Client), usage => usage == expected, TimeSpan.FromSeconds(15));
        Assert.True(counted == expected, $"{worker.UserId}: usage says {counted} (requests, tokens); its conversations and stateless calls add up to {expected}");
    }

    private static async Task<(long Requests, long Tokens)> Usage(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/usage");
        var total = (await response.ReadJson()).GetProperty("total");
        return (total.GetProperty("requests").GetInt64(), total.GetProperty("total_tokens").GetInt64());
    }

    /// <summary>Every one of the user's stream slots is free again: as many can be taken as the limit allows.</summary>
    private async Task AssertNoStreamSlotLeaked(string userId)
    {
        var user = _cluster.Grains.GetGrain<IUserGrain>(userId);
        var leases = new List<StreamLease>();
        for (var i = 0; i < StreamSlots; i++)
        {
            leases.Add(await user.AcquireStream());
        }

        Assert.All(leases, lease => Assert.IsType<StreamLease.Granted>(lease));
        foreach (var lease in leases.OfType<StreamLease.Granted>())
        {
            await user.ReleaseStream(lease.LeaseId);
        }
    }

    private void AssertMemoryFlat()
    {
        // After warm-up, no process may grow by more than a quarter to the end.
        var warm = _samples.Where(s => s.At >= WarmUp).ToList();
        // The restarted silo is a new process half way through, still warming up: the others are what can leak.
        foreach (var process in warm[0].Processes.Select(p => p.Process).Where(p => p != "silo 0"))
        {
            var sizes = warm.Select(s => s.Processes.FirstOrDefault(p => p.Process == process).WorkingSetBytes).Where(b => b > 0).ToList();
            Assert.True(sizes[^1] <= sizes[0] * 1.25, $"{process} grew from {sizes[0] / 1048576} MB to {sizes[^1] / 1048576} MB after warm-up");
        }
    }

    private async Task Sample(long started, CancellationToken stop)
    {
        var interval = Duration >= LongEnoughForMemory ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(5);
        using var metrics = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (!stop.IsCancellationRequested)
        {
            var processes = new List<(string, long, long?)>();
            for (var i = 0; i < _cluster.Silos.Count; i++)
            {
                processes.Add(($"silo {i}", MemorySample.WorkingSet(_cluster.Silos[i].Process.Id), null));
            }

            for (var i = 0; i < _cluster.ApiHosts.Count; i++)
            {
                long? heap = null;
                try
                {
                    heap = MemorySample.GcHeap(await metrics.GetStringAsync(new Uri(_cluster.ApiHosts[i].Address, "/metrics"), stop));
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                }

                processes.Add(($"API host {i}", MemorySample.WorkingSet(_cluster.ApiHosts[i].Process.Id), heap));
            }

            _samples.Add(new MemorySample(TimeProvider.System.GetElapsedTime(started), processes));
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static async Task<(string UserId, string Key)> NewUser(HttpClient admin, string name)
    {
        using var created = await admin.PostAsync("/v1/admin/users", Http.Json(JsonSerializer.Serialize(new { name, limits = new { concurrent_streams = StreamSlots, requests_per_minute = 1_000_000 } })));
        var userId = (await created.ReadJson()).GetProperty("id").GetString()!;
        using var issued = await admin.PostAsync($"/v1/admin/users/{userId}/keys", null);
        return (userId, (await issued.ReadJson()).GetProperty("key").GetString()!);
    }

    private string Report(IReadOnlyList<SoakLoad.Worker> workers)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Soak of {Duration} on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {workers.Count} workers for {Users} users, 2 silos (silo 0 restarted half way), 2 API hosts");
        text.AppendLine().AppendLine("| action | status | answers | error code (the first such answer's) |").AppendLine("|---|---|---|---|");
        foreach (var ((action, status), count) in _outcomes.Answers.OrderBy(a => a.Key.Action).ThenBy(a => a.Key.Status))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {action} | {status} | {count} | {_outcomes.FirstErrors.GetValueOrDefault((action, status), "")} |");
        }

        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Violations: {_outcomes.Violations.Count}");
        if (_samples.Count > 0)
        {
            var names = _samples[0].Processes.Select(p => p.Process).ToList();
            text.AppendLine().AppendLine("| time (s) | " + string.Join(" | ", names.Select(n => $"{n} working set (MB)")) + " | API host GC heaps (MB) |");
            text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", names.Count + 1)));
            foreach (var sample in _samples)
            {
                var heaps = sample.Processes.Where(p => p.GcHeapBytes is not null).Select(p => (p.GcHeapBytes!.Value / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture));
                var sizes = string.Join(" | ", sample.Processes.Select(p => (p.WorkingSetBytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture)));
                text.Append(CultureInfo.InvariantCulture, $"| {sample.At.TotalSeconds:0} | {sizes} | {string.Join(" / ", heaps)} |").AppendLine();
            }
        }

        return text.ToString();
    }
}
