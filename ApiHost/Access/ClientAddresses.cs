using System.Net;

namespace Conversations.ApiHost.Access;

/// <summary>Which client a request's address stands for, as the failed-key throttle counts clients.</summary>
public static class ClientAddresses
{
    /// <summary>Stands for requests whose address is unknown (no socket, as in an in-process test server).</summary>
    public static readonly IPAddress Unknown = IPAddress.IPv6None;

    /// <summary>
    /// The address a client is counted under: an IPv4 address as itself (also when it arrives IPv4-mapped on
    /// a dual-stack socket), an IPv6 address by its /64 network, since one client is routinely given a whole
    /// /64 and could otherwise try each key from a fresh address.
    /// </summary>
    public static IPAddress PartitionOf(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
