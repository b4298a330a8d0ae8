using Conversations.Silo.Tests.Infrastructure;
using Conversations.Testing.Health;

namespace Conversations.Silo.Tests.Health;

/// <summary>
/// An API host's readiness in the scaled-out topology follows what it needs to serve: it fails while
/// PostgreSQL is down, so a load balancer sends no traffic there, and recovers by itself when it is back.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class ReadinessTests : IAsyncLifetime
{
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ScaledOutCluster.StartAsync(silos: 1, apiHosts: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Ready_is_503_while_postgres_is_stopped_and_200_again_once_it_is_back()
    {
        using var anonymous = new HttpClient { BaseAddress = _cluster.ApiHosts[0].Address, Timeout = TimeSpan.FromSeconds(30) };
        var answers = new List<HealthReport>();

        var before = await Eventually.Holds(() => Ready(anonymous, answers), ready => ready.Status == "Healthy", "readiness of a whole cluster", TimeSpan.FromSeconds(30));
        await _cluster.Postgres.StopAsync();
        var down = await Eventually.Holds(() => Ready(anonymous, answers), ready => ready.Code == HttpStatusCode.ServiceUnavailable, "readiness failing without PostgreSQL", TimeSpan.FromSeconds(30));
        await _cluster.Postgres.StartAgainAsync();
        var back = await Eventually.Holds(() => Ready(anonymous, answers), ready => ready.Code == HttpStatusCode.OK, "readiness after PostgreSQL is back", TimeSpan.FromSeconds(60));

        Assert.Equal(["store", "cluster", "redis", "upstream"], before.Checks.Keys);
        Assert.All(before.Checks.Values, status => Assert.Equal("Healthy", status));
        Assert.Equal("Unhealthy", down.Checks["store"]);
        Assert.Equal("Healthy", down.Checks["cluster"]);
        Assert.Equal("Healthy", back.Checks["store"]);

        // Nothing the connection strings hold, nor the keys, nor a driver's message, is ever shown.
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(_cluster.Settings["ConnectionStrings:Postgres"]);
        string[] secrets =
        [
            _cluster.Settings["ConnectionStrings:Postgres"]!, _cluster.Settings["ConnectionStrings:Redis"]!, postgres.Database!, postgres.Username!,
            $"{postgres.Port}", ClusterKeys.Admin, ClusterKeys.User, _cluster.Settings["OPENAI_API_KEY"]!, "refused", "Exception",
        ];
        Assert.All(answers, answer => Assert.All(secrets, secret => Assert.DoesNotContain(secret, answer.Body, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Readiness now, kept in <paramref name="answers"/> to search afterwards.</summary>
    private static async Task<HealthReport> Ready(HttpClient client, List<HealthReport> answers)
    {
        var report = await HealthReport.Fetch(client, "/health/ready");
        answers.Add(report);
        return report;
    }
}
