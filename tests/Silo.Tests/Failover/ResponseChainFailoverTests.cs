using Conversations.Abstractions.Grains;
using Conversations.Silo.Tests.Infrastructure;
using Orleans.Runtime;

namespace Conversations.Silo.Tests.Failover;

/// <summary>
/// A <c>previous_response_id</c> chain lives in PostgreSQL, not in the silo that ran it: when that silo dies
/// (SIGKILL), the next response in the chain runs on another silo with the whole chain as its context.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class ResponseChainFailoverTests : IAsyncLifetime
{
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ScaledOutCluster.StartAsync(silos: 2, apiHosts: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_chain_continues_after_the_silo_that_served_it_is_killed()
    {
        var client = _cluster.ApiHosts[0].Client();
        var marker = Guid.NewGuid().ToString("N");
        var first = await CreateResponse(client, $"Say first {marker}", previous: null);
        var second = await CreateResponse(client, "Say second", previous: first);
        var served = await SiloRunning(second);
        Assert.NotNull(served);

        await served.Process.KillAsync();

        // A request sent just after the kill may be lost inside the cluster (Orleans does not fail a request its
        // gateway forwarded to a silo that then died); the host gives up on it with 503, and this, like an SDK, retries.
        var crashed = TimeProvider.System.GetTimestamp();
        var third = await Eventually.Within(() => TryCreateResponse(client, "Say third", previous: second), id => id is not null, TimeSpan.FromSeconds(10));
        if (third is null)
        {
            Assert.Fail($"the chain did not continue within 10 s of the crash ({TimeProvider.System.GetElapsedTime(crashed)})");
        }

        // The survivor ran it, with the whole chain read back from the store. Asking where it runs can itself fail
        // while the cluster has not yet declared the dead silo dead (the directory lookup may try it first), so ask
        // again within the same 10 s.
        var survivor = await Eventually.Within(() => SiloRunningOnceKnown(third), node => node is not null, TimeSpan.FromSeconds(10));
        Assert.NotNull(survivor);
        Assert.NotEqual(served.SiloPort, survivor.SiloPort);
        var sent = _cluster.Upstream.ChatRequests.Last(r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(
            [("user", $"Say first {marker}"), ("assistant", $"First {marker}"), ("user", "Say second"), ("assistant", "Second"), ("user", "Say third")],
            Messages(sent.Json));

        // Every response of the chain is still there to read, whichever silo ran it. A read of a response whose
        // grain was on the dead silo may get 503 until the cluster has declared that silo dead; the SDKs retry
        // 503, and so does this, within the same 10 s.
        foreach (var (id, text) in new[] { (first, $"First {marker}"), (second, "Second"), (third, "Third") })
        {
            var (status, json) = await Eventually.Within(() => Retrieve(client, id), read => read.Status != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
            Assert.True(status == HttpStatusCode.OK, $"GET /v1/responses/{id} answered {(int)status}: {json}");
            Assert.Equal(text, json.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> Retrieve(HttpClient client, string id)
    {
        using var retrieved = await client.GetAsync($"/v1/responses/{id}");
        return (retrieved.StatusCode, await retrieved.ReadJson());
    }

    /// <summary>Where the response's grain runs, or null while the cluster cannot tell yet (a lookup reached the dead silo).</summary>
    private async Task<SiloNode?> SiloRunningOnceKnown(string responseId)
    {
        try
        {
            return await SiloRunning(responseId);
        }
        catch (Exception exception) when (exception is OrleansMessageRejectionException or SiloUnavailableException)
        {
            return null;
        }
    }

    /// <summary>The silo process the response's grain is active on, or null if it is active nowhere.</summary>
    private async Task<SiloNode?> SiloRunning(string responseId)
    {
        var address = await _cluster.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(_cluster.Grains.GetGrain<IResponseGrain>(responseId));
        return address is null ? null : _cluster.Silos.SingleOrDefault(s => s.SiloPort == address.Endpoint.Port);
    }

    private static async Task<string> CreateResponse(HttpClient client, string input, string? previous)
    {
        using var response = await client.PostAsync("/v1/responses", Body(input, previous));
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /v1/responses answered {(int)response.StatusCode}: {json}");
        Assert.Equal("completed", json.GetProperty("status").GetString());
        return json.GetProperty("id").GetString()!;
    }

    /// <summary>The new response's id if it was answered 200 now; null otherwise, also when the host cannot be reached.</summary>
    private static async Task<string?> TryCreateResponse(HttpClient client, string input, string previous)
    {
        try
        {
            using var response = await client.PostAsync("/v1/responses", Body(input, previous));
            return response.StatusCode == HttpStatusCode.OK ? (await response.ReadJson()).GetProperty("id").GetString() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static StringContent Body(string input, string? previous) =>
        Http.Json(previous is null
            ? JsonSerializer.Serialize(new { input })
            : JsonSerializer.Serialize(new { input, previous_response_id = previous }));

    /// <summary>The upstream request's messages as (role, text).</summary>
    private static List<(string Role, string Text)> Messages(JsonElement request) =>
        [.. request.GetProperty("messages").EnumerateArray().Select(m => (
            m.GetProperty("role").GetString()!,
            m.GetProperty("content") is { ValueKind: JsonValueKind.String } text
                ? text.GetString()!
                : string.Concat(m.GetProperty("content").EnumerateArray().Select(part => part.GetProperty("text").GetString()))))];
}
