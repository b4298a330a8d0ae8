namespace Conversations.Hosting.Cluster;

/// <summary>
/// How many gateways this Orleans client is connected to right now, as the client reports each connection
/// opening and closing. An API host in client mode can serve nothing while it is connected to none, so
/// readiness reads it.
/// </summary>
public sealed class GatewayConnections : IClusterConnectionStatusObserver
{
    private int _connected;

    public int Connected => Volatile.Read(ref _connected);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _connected, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref _connected, 0);
}
