using System.Text.Json;

namespace Conversations.Bench.Report;

/// <summary>
/// A flame graph folded into the parts of a stateless call: from a speedscope file of a thread-time trace
/// (<c>dotnet-trace convert --format speedscope</c>), the time each thread was busy (its stack not ending in a
/// wait), given to the innermost frame on the stack that belongs to a part. A socket write made by HttpClient
/// inside the resilience pipeline inside the endpoint counts as socket time, so the shares add up to the whole
/// and say where the CPU went, not which code was above it.
/// </summary>
public static class ProfileBreakdown
{
    private const string ThreadPool = "Thread pool: workers spinning, waking and dispatching";

    /// <summary>Frames whose samples are a thread waiting, not working (the finalizer thread waits in its own loop).</summary>
    private static readonly string[] Waits =
        ["RunFinalizers", "WaitOneNoCheck", "WaitNative", "Monitor.Wait", "Interop+Sys.Read", "LowLevelLifoSemaphore.Wait", "WaitForSignal", "Thread.Sleep", "WaitForSocketEvents", "EventLoop"];

    /// <summary>The parts, each by the frame names that belong to it; the first part a frame matches wins.</summary>
    private static readonly (string Part, string[] Markers)[] Parts =
    [
        ("Usage accounting (usage meter, completion parsed, metrics)", ["UsageMeter", "ChatCompletionParser", "TurnMeter", "Conversations.Core!"]),
        ("Orleans grain calls (usage record, reservations)", ["Orleans"]),
        ("Authentication (key hash, cached principal, failed-key check)", ["ApiKeyAuthentication", "KeyResolver", "FailedKeyThrottle", "AuthenticationMiddleware", "AuthenticationHandler", "AuthenticationService", "ApiKeys.Hash", "Cryptography"]),
        ("Authorization (role policy)", ["Authorization"]),
        ("Rate limit (reservation, headers)", ["RateLimiting", "ClusterRateLimiter", "AdmissionBudgets", "RateLimitHeaders"]),
        ("Service middleware (metrics, request id, error envelope)", ["RequestMetricsMiddleware", "RequestIdMiddleware", "ErrorEnvelopeMiddleware", "RequestIds"]),
        ("Routing, endpoint binding, request services", ["Routing", "RequestDelegateFactory", "lambda_method", "DependencyInjection", "HostFiltering"]),
        ("Endpoint (body read, inspection, answer and headers relayed)", ["ChatCompletionsEndpoint", "RequestBody", "ChatCompletionsRequests", "Idempotency", "RelayedBody", "UpstreamBody", "UpstreamHeaders", "UpstreamRelay", "ModelAliases"]),
        ("Resilience pipeline (Polly: timeouts, retry, circuit breaker)", ["Polly", "Resilience"]),
        ("HttpClient to the upstream (headers, connection pool)", ["System.Net.Http!"]),
        ("Socket sends and receives (system calls)", ["System.Net.Sockets!"]),
        ("Kestrel (parsing requests, writing responses)", ["Kestrel", "System.IO.Pipelines", "AspNetCore.Http!", "HttpProtocol"]),
        ("Garbage collection and safe points", ["PollGC", "GCHeap", "GarbageCollect"]),
    ];

    public static IReadOnlyList<(string Part, double Share)> Of(string speedscopeFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(speedscopeFile));
        var root = document.RootElement;
        var names = root.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(frame => frame.GetProperty("name").GetString() ?? "").ToArray();
        var partOfFrame = names.Select(name => Array.FindIndex(Parts, part => part.Markers.Any(marker => name.Contains(marker, StringComparison.Ordinal)))).ToArray();
        var isWait = names.Select(name => Waits.Any(wait => name.Contains(wait, StringComparison.Ordinal))).ToArray();
        var time = new double[Parts.Length + 1];
        foreach (var profile in root.GetProperty("profiles").EnumerateArray())
        {
            var stack = new List<int>();
            double? last = null;
            foreach (var change in profile.GetProperty("events").EnumerateArray())
            {
                var at = change.GetProperty("at").GetDouble();
                if (last is { } since && stack.Count > 0 && !stack.Skip(Math.Max(0, stack.Count - 3)).Any(frame => isWait[frame]))
                {
                    var part = Parts.Length;
                    for (var i = stack.Count - 1; i >= 0; i--)
                    {
                        if (partOfFrame[stack[i]] >= 0)
                        {
                            part = partOfFrame[stack[i]];
                            break;
                        }
                    }

                    time[part] += at - since;
                }

                last = at;
                var frameIndex = change.GetProperty("frame").GetInt32();
                if (change.GetProperty("type").GetString() == "O")
                {
                    stack.Add(frameIndex);
                }
                else if (stack.LastIndexOf(frameIndex) is var closed and >= 0)
                {
                    stack.RemoveRange(closed, stack.Count - closed);
                }
            }
        }

        var busy = time.Sum();
        return [.. time.Select((t, i) => (i < Parts.Length ? Parts[i].Part : ThreadPool, busy > 0 ? t / busy : 0)).OrderByDescending(p => p.Item2)];
    }
}
