using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Users;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Grains.Access;
using Conversations.Bench.Upstream;
using Conversations.Core.Users;
using Conversations.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (g) What the cluster costs a request, measured without HTTP: in-process grain calls of the kinds
/// the hot paths make, in a closed loop. Explains the floor under (a) and (b).
/// </summary>
public static class GrainCallCost
{
    public static async Task RunAsync(BenchOptions options, ServiceUnderTest service, BenchUpstream upstream, Results results)
    {
        var relay = service.Services.GetRequiredService<UpstreamRelay>();
        var table = results.NewTable("g", "Grain calls from the host, no HTTP (co-hosted silo): latency (ms) and calls/s",
            "call", "concurrency", "p50", "p99", "calls/s", "bytes allocated/call");
        using var client = BenchClient.Create();
        var conversation = await ServiceCalls.CreateConversationAsync(client, service);
        var user = service.Grains.GetGrain<IUserGrain>(AccessGrain.DefaultUserId);
        var calls = new (string Name, Func<Task<bool>> Call)[]
        {
            ("IUserGrain.Reserve (one user, one request)", async () => (await user.Reserve(1)).Admission is Admission.Admitted),
            ("IConversationGrain.Get (one conversation)", async () => (await service.Grains.GetGrain<IConversationGrain>(conversation).Get(AccessGrain.DefaultUserId)).IsT0),
            ("GetGrain<IUserGrain> (reference only)", () => Task.FromResult(service.Grains.GetGrain<IUserGrain>(AccessGrain.DefaultUserId) is not null)),
            ("HTTP GET /v1/models (auth, cached list)", () => Get(client, new Uri(service.Address, "/v1/models"))),
            ("HTTP GET /v1/conversations/{id} (auth, one grain call)", () => Get(client, new Uri(service.Address, $"/v1/conversations/{conversation}"))),
            ("HTTP POST /v1/chat/completions, no model (auth, limiter, 400)", async () =>
            {
                using var request = BenchClient.Post(service.ChatUrl, "{}"u8.ToArray(), ServiceUnderTest.UserKey);
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                return (int)response.StatusCode == 400;
            }),
            ("HTTP POST /v1/chat/completions (the whole stateless call)", () => BenchClient.PostAsync(client, service.ChatUrl, Bodies.Chat, ServiceUnderTest.UserKey)),
            ("upstream call, plain HttpClient", () => BenchClient.PostAsync(client, upstream.ChatUrl, Bodies.Chat, null)),
            ("upstream call, the service's resilient client", async () =>
            {
                var sent = await relay.SendChatAsync(Bodies.Chat, stream: false, CancellationToken.None);
                using var response = sent.AsT0;
                await response.Content.ReadAsByteArrayAsync();
                return response.IsSuccessStatusCode;
            }),
        };
        foreach (var concurrency in options.GrainCallLevels)
        {
            foreach (var (name, call) in calls.Where(c => options.CallFilter is null || c.Name.Contains(options.CallFilter, StringComparison.OrdinalIgnoreCase)))
            {
                Console.Error.WriteLine($"  (g) {name}, concurrency {concurrency}");
                var result = await ClosedLoop.RunAsync(concurrency, options.Warmup, options.Duration, _ => call());
                table.Add(name, concurrency, result.P50, result.P99, result.RequestsPerSecond, result.AllocatedPerRequest);
            }
        }
    }

    private static async Task<bool> Get(HttpClient client, Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceUnderTest.UserKey);
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode;
    }
}
