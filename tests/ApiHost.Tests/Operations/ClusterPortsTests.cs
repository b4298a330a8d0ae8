using System.Globalization;
using System.Net;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Operations;

/// <summary>
/// The embedded default's cluster (its silo and gateway ports, which take grain calls without any key) is
/// reachable from this machine only: both listen on loopback and on no other interface. Read from the
/// kernel's own table of listening sockets (<c>/proc/net/tcp</c> and <c>tcp6</c>).
/// </summary>
public sealed class ClusterPortsTests
{
    [Fact]
    public async Task The_embedded_default_listens_for_cluster_traffic_on_loopback_only()
    {
        await using var host = await RunningApiHost.StartAsync();

        foreach (var setting in new[] { "Orleans:Endpoints:SiloPort", "Orleans:Endpoints:GatewayPort" })
        {
            var port = int.Parse(host.Settings[setting]!, CultureInfo.InvariantCulture);
            var listening = ListeningAddresses(port);

            Assert.NotEmpty(listening);
            Assert.All(listening, address => Assert.True(IPAddress.IsLoopback(address), $"{setting} {port} listens on {address}"));
        }
    }

    /// <summary>The local addresses of the sockets listening on <paramref name="port"/>, IPv4 and IPv6.</summary>
    private static List<IPAddress> ListeningAddresses(int port) =>
        [.. new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // sl local_address rem_address st …; st 0A is LISTEN.
            .Where(fields => fields.Length > 3 && fields[3] == "0A" && fields[1].Contains(':'))
            .Select(fields => fields[1].Split(':'))
            .Where(local => int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
            .Select(local => Address(local[0]))];

    /// <summary>An address as the kernel writes it: hex, in 32-bit words of host (little-endian) byte order.</summary>
    private static IPAddress Address(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(bytes);
    }
}
