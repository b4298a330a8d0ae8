using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Conversations.Testing.Health;
using Conversations.Testing.Network;

namespace Conversations.ApiHost.Tests.Operations;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c>, as a load balancer or orchestrator calls them: without a key,
/// answered with each check's name and status, 503 only when the service cannot serve.
/// </summary>
public sealed class HealthTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    [Fact]
    public async Task Live_answers_200_without_a_key()
    {
        using var anonymous = fixture.Host.Client(key: null);

        var live = await HealthReport.Fetch(anonymous, "/health/live");

        Assert.Equal(HttpStatusCode.OK, live.Code);
        Assert.Equal("Healthy", live.Status);
        Assert.Equal(new Dictionary<string, string> { ["process"] = "Healthy" }, live.Checks);
    }

    [Fact]
    public async Task Ready_checks_the_store_the_cluster_and_the_upstream_of_the_embedded_default()
    {
        using var anonymous = fixture.Host.Client(key: null);

        var ready = await HealthReport.Fetch(anonymous, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Code);
        Assert.Equal("Healthy", ready.Status);
        Assert.Equal(
            new Dictionary<string, string> { ["store"] = "Healthy", ["cluster"] = "Healthy", ["upstream"] = "Healthy" },
            ready.Checks);
    }

    [Fact]
    public async Task Ready_stays_200_but_degraded_while_the_upstream_cannot_be_reached()
    {
        // Nothing listens on this port: every call to the upstream is refused.
        await using var host = await RunningApiHost.StartAsync(overrides: new Dictionary<string, string?>
        {
            ["OPENAI_BASE_URL"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
            ["OPENAI_API_KEY"] = TestKeys.Upstream,
        });
        using var anonymous = host.Client(key: null);

        var ready = await HealthReport.Fetch(anonymous, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Code);
        Assert.Equal("Degraded", ready.Status);
        Assert.Equal("Degraded", ready.Checks["upstream"]);
        Assert.Equal("Healthy", ready.Checks["store"]);
        Assert.Equal("Healthy", ready.Checks["cluster"]);
    }

    [Fact]
    public async Task No_key_address_or_path_appears_in_the_health_answers()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var host = await RunningApiHost.StartAsync(upstream);
        await using var unreachable = await RunningApiHost.StartAsync(overrides: new Dictionary<string, string?>
        {
            ["OPENAI_BASE_URL"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
            ["OPENAI_API_KEY"] = TestKeys.Upstream,
        });
        using var recorder = new RecordedExchanges();
        var secrets = new[]
        {
            TestKeys.Admin, TestKeys.DefaultUser, TestKeys.Upstream, upstream.BaseUrl, new Uri(upstream.BaseUrl).Authority,
            host.DataDirectory, unreachable.DataDirectory, unreachable.Settings["OPENAI_BASE_URL"]!, "refused", "Exception",
        };

        using var toHost = recorder.Client(host.Address, key: null);
        using var toUnreachable = recorder.Client(unreachable.Address, key: null);

        // With a working upstream (its first probe may still be running) and with one that refuses connections.
        var healthy = await Eventually.Holds(
            () => HealthReport.Fetch(toHost, "/health/ready"), ready => ready.Status == "Healthy", "readiness with a working upstream");
        await HealthReport.Fetch(toUnreachable, "/health/ready");
        await HealthReport.Fetch(toHost, "/health/live");

        Assert.Equal("Healthy", healthy.Checks["upstream"]);
        Assert.NotEmpty(recorder.Exchanges);
        foreach (var exchange in recorder.Exchanges)
        {
            Assert.All(secrets, secret => Assert.False(exchange.Contains(secret), $"{exchange.Request} shows '{secret}': {exchange.Body}"));
            // Each check says its name and status, nothing more: a driver's message could quote a connection string.
            var checks = JsonDocument.Parse(exchange.Body).RootElement.GetProperty("checks").EnumerateArray();
            Assert.All(checks, check => Assert.Equal(["name", "status"], check.EnumerateObject().Select(p => p.Name)));
        }
    }

    [Fact]
    public async Task Ready_in_client_mode_is_503_once_the_host_has_no_gateway()
    {
        await using var silo = await RunningApiHost.StartAsync();
        await using var front = await ClientModeHost.StartClientOf(silo);
        using var anonymous = front.Client(key: null);

        var connected = await HealthReport.Fetch(anonymous, "/health/ready");
        await silo.StopAsync();
        var cut = await Eventually.Holds(
            () => HealthReport.Fetch(anonymous, "/health/ready"),
            ready => ready.Code == HttpStatusCode.ServiceUnavailable,
            "readiness failing after the only silo stopped");

        Assert.Equal(HttpStatusCode.OK, connected.Code);
        // The silos keep the SQLite store; a host in client mode checks what it can reach itself.
        Assert.Equal(new Dictionary<string, string> { ["cluster"] = "Healthy", ["upstream"] = "Healthy" }, connected.Checks);
        Assert.Equal("Unhealthy", cut.Status);
        Assert.Equal("Unhealthy", cut.Checks["cluster"]);
        var live = await HealthReport.Fetch(anonymous, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Code);
    }
}
