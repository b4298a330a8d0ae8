using System.Net;
using Conversations.Hosting.Configuration;
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

    /// <summary>
    /// Whether the cluster's traffic can leave this machine: it is joined through Redis, and either this process
    /// advertises an address other than loopback or Redis is elsewhere (so are the other silos, then).
    /// </summary>
    public bool TrafficLeavesTheMachine => Redis is { } redis && (!IPAddress.IsLoopback(AdvertisedAddress) || !IsLocal(redis));

    private static bool IsLocal(string redis) =>
        StackExchange.Redis.ConfigurationOptions.Parse(redis).EndPoints.All(endpoint => endpoint switch
        {
            DnsEndPoint dns => dns.Host is "localhost" || (IPAddress.TryParse(dns.Host, out var address) && IPAddress.IsLoopback(address)),
            IPEndPoint ip => IPAddress.IsLoopback(ip.Address),
            _ => false,
        });

    /// <summary>Reads the settings; a value that cannot be used stops the process with an <see cref="InvalidSettingException"/>.</summary>
    public static ClusterSettings From(IConfiguration configuration)
    {
        var redis = NonEmpty(configuration.GetConnectionString("Redis"));
        var postgres = NonEmpty(configuration.GetConnectionString("Postgres"));
        RequireConnectionString("ConnectionStrings:Redis", redis, text => StackExchange.Redis.ConfigurationOptions.Parse(text), "host:port[,password=…]");
        RequireConnectionString("ConnectionStrings:Postgres", postgres, text => new Npgsql.NpgsqlConnectionStringBuilder(text), "Host=…;Database=…;Username=…;Password=…");
        var advertised = NonEmpty(configuration[AdvertisedAddressKey]) is { } text
            ? IPAddress.TryParse(text, out var address)
                ? address
                : throw new InvalidSettingException($"{AdvertisedAddressKey} must be an IP address such as 10.0.0.5; '{text}' is not.")
            // On one machine (localhost clustering) loopback is right; across machines a silo must
            // advertise an address the others can reach.
            : redis is null ? IPAddress.Loopback : FirstNonLoopbackAddress();

        return new(
            DataDirectory: Path.GetFullPath(NonEmpty(configuration["CONVERSATIONS_DATA_DIR"]) ?? "data"),
            Postgres: postgres,
            Redis: redis,
            SiloPort: Port(configuration, "Orleans:Endpoints:SiloPort", DefaultSiloPort, lowest: 1),
            // 0 is Orleans' way of saying "no gateway on this silo".
            GatewayPort: Port(configuration, "Orleans:Endpoints:GatewayPort", DefaultGatewayPort, lowest: 0),
            AdvertisedAddress: advertised,
            ClusterId: NonEmpty(configuration["Orleans:ClusterId"]) ?? "conversations",
            ServiceId: NonEmpty(configuration["Orleans:ServiceId"]) ?? "conversations");
    }

    private const string AdvertisedAddressKey = "Orleans:Endpoints:AdvertisedIPAddress";

    private static int Port(IConfiguration configuration, string key, int defaultPort, int lowest)
    {
        var port = SettingValues.Read(configuration, key, defaultPort);
        return port >= lowest && port <= IPEndPoint.MaxPort
            ? port
            : throw new InvalidSettingException($"{key} must be a port number from {lowest} to {IPEndPoint.MaxPort}; '{configuration[key]}' is not.");
    }

    /// <summary>
    /// A connection string that cannot even be read stops the process here, not at the first connection. The
    /// parser's own message is left out: it can quote part of the string, and the string can hold a password.
    /// </summary>
    private static void RequireConnectionString(string key, string? value, Action<string> parse, string form)
    {
        if (value is null)
        {
            return;
        }

        try
        {
            parse(value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException or OverflowException)
        {
            throw new InvalidSettingException($"{key} is not a connection string of the form {form}.");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static IPAddress FirstNonLoopbackAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
