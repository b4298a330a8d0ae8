using System.Net;
using System.Net.Sockets;

namespace Conversations.Testing.Network;

public static class FreePort
{
    /// <summary>
    /// A loopback port the OS just handed out and released. Another process could take it before the
    /// caller binds it; callers that start servers retry on "address in use".
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
