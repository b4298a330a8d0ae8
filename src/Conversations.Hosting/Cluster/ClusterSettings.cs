using System.Net;
using Microsoft.Extensions.Configuration;

namespace Conversations.Hosting.Cluster;

/// <summary>
/// Where the cluster's membership and data live and how this process joins it, read once from
/// configuration (environment variables, <c>.env</c>, appsettings, command line).
/// </summary>
/// <param name="DataDirectory"><c>CONVERSATIONS_DATA_DIR</c>: the SQLite file and first-start secrets (default <c>./data</c>).</param>
/// <param name="Postgres"><c>ConnectionStrings__Postgres</c>: when set, all durable data lives in PostgreSQL.</param>
/// <param name="Redis"><c>ConnectionStrings__Redis</c>: when set, silos and clients find each other through Redis.</param>
/// <param name="SiloPort"><c>Orleans__Endpoints__SiloPort</c> (default 11111).</param>
/// <param name="GatewayPort"><c>Orleans__Endpoints__GatewayPort</c> (default 30000).</param>
/// <param name="AdvertisedAddress"><c>Orleans__Endpoints__AdvertisedIPAddress</c>: the address other silos use to reach this one.</param>
public sealed record ClusterSettings(
    string DataDirectory,
    string? Postgres,
    string? Redis,
    int SiloPort,
    int GatewayPort,
    IPAddress AdvertisedAddress,
    string ClusterId,
    string ServiceId)
{
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public string SqlitePath => Path.Combine(DataDirectory, "conversations.db");

    public static ClusterSettings From(IConfiguration configuration)
    {
        var redis = NonEmpty(configuration.GetConnectionString("Redis"));
        var advertised = NonEmpty(configuration["Orleans:Endpoints:AdvertisedIPAddress"]) is { } text
            ? IPAddress.Parse(text)
            // On one machine (localhost clustering) loopback is right; across machines a silo must
            // advertise an address the others can reach.
            : redis is null ? IPAddress.Loopback : FirstNonLoopbackAddress();

        return new(
            DataDirectory: Path.GetFullPath(NonEmpty(configuration["CONVERSATIONS_DATA_DIR"]) ?? "data"),
            Postgres: NonEmpty(configuration.GetConnectionString("Postgres")),
            Redis: redis,
            SiloPort: configuration.GetValue("Orleans:Endpoints:SiloPort", DefaultSiloPort),
            GatewayPort: configuration.GetValue("Orleans:Endpoints:GatewayPort", DefaultGatewayPort),
            AdvertisedAddress: advertised,
            ClusterId: NonEmpty(configuration["Orleans:ClusterId"]) ?? "conversations",
            ServiceId: NonEmpty(configuration["Orleans:ServiceId"]) ?? "conversations");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static IPAddress FirstNonLoopbackAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
