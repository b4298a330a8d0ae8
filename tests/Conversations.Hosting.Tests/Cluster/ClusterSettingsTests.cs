using System.Net;
using Conversations.Hosting.Cluster;
using Conversations.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Conversations.Hosting.Tests.Cluster;

/// <summary>How a process joins the cluster, read from its settings; a setting it cannot use is named at once.</summary>
public sealed class ClusterSettingsTests
{
    private static ClusterSettings Read(Dictionary<string, string?> values) =>
        ClusterSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    [Fact]
    public void Nothing_configured_is_one_process_on_localhost_with_sqlite()
    {
        var settings = Read([]);

        Assert.Equal((11111, 30000, IPAddress.Loopback, "conversations"), (settings.SiloPort, settings.GatewayPort, settings.AdvertisedAddress, settings.ClusterId));
        Assert.Null(settings.Postgres);
        Assert.Null(settings.Redis);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("127.0.0.1:6379", "127.0.0.1", false)]
    [InlineData("localhost:6379", "127.0.0.1", false)]
    [InlineData("127.0.0.1:6379", "10.0.0.5", true)]
    [InlineData("redis.internal:6379", "127.0.0.1", true)]
    public void Cluster_traffic_leaves_the_machine_when_redis_or_this_silo_is_reachable_from_elsewhere(string? redis, string? advertised, bool leaves)
    {
        var settings = Read(new() { ["ConnectionStrings:Redis"] = redis, ["Orleans:Endpoints:AdvertisedIPAddress"] = advertised });

        Assert.Equal(leaves, settings.TrafficLeavesTheMachine);
    }

    [Theory]
    [InlineData("Orleans:Endpoints:SiloPort", "eleven")]
    [InlineData("Orleans:Endpoints:SiloPort", "0")]
    [InlineData("Orleans:Endpoints:GatewayPort", "65536")]
    [InlineData("Orleans:Endpoints:AdvertisedIPAddress", "silo-1.internal")]
    public void An_unusable_endpoint_is_named_with_its_value(string key, string value)
    {
        var refused = Assert.Throws<InvalidSettingException>(() => Read(new() { [key] = value }));

        Assert.Contains(key, refused.Message);
        Assert.Contains($"'{value}'", refused.Message);
        Assert.Equal(refused.Message, HostProgram.Describe(refused));
    }

    [Theory]
    [InlineData("Postgres", "Hots=db.internal;Password=pa55word-in-the-clear")]
    [InlineData("Redis", "redis.internal:6379,password=pa55word-in-the-clear,nonsense=1")]
    public void An_unreadable_connection_string_is_named_without_repeating_it(string name, string value)
    {
        var refused = Assert.Throws<InvalidSettingException>(() => Read(new() { [$"ConnectionStrings:{name}"] = value }));

        Assert.Contains($"ConnectionStrings:{name}", refused.Message);
        Assert.DoesNotContain("pa55word", refused.Message);
    }
}
