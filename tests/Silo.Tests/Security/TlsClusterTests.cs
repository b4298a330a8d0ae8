using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Conversations.Silo.Tests.Infrastructure;

namespace Conversations.Silo.Tests.Security;

/// <summary>
/// With mutual TLS on, the cluster admits only processes whose certificate its authority issued: its own
/// silos and API hosts work as ever, while a connection to a silo or gateway port without a certificate, or
/// with one from another authority, is refused in the TLS handshake, and an Orleans client holding such a
/// certificate never gets to call a grain.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class TlsClusterTests : IAsyncLifetime
{
    private readonly ClusterCertificates _certificates = ClusterCertificates.Create();
    private ScaledOutCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ScaledOutCluster.StartAsync(silos: 2, apiHosts: 1, _certificates.Settings());

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task A_cluster_with_mutual_tls_serves_its_own_processes_and_refuses_others()
    {
        // Its own: two silos joined (the cluster started), and a turn goes through the API host.
        var client = _cluster.ApiHosts[0].Client();
        var conversation = await client.CreateConversation();
        Assert.Equal("Over TLS", await client.Turn(conversation, "Say over TLS"));

        // The cluster's ports speak TLS, and take the cluster's own certificate: a connection offering it stays open.
        Assert.Contains(_cluster.Silos[0].Process.Output, line => line.Contains("mutual TLS as CN=conversations-node", StringComparison.Ordinal));
        Assert.False(await IsRefused(_cluster.Silos[0].GatewayPort, _certificates.Node), "the gateway refused the cluster's own certificate");

        // Others: refused at the handshake, without a certificate or with a stranger's, on every cluster port.
        foreach (var silo in _cluster.Silos)
        {
            foreach (var port in new[] { silo.SiloPort, silo.GatewayPort })
            {
                Assert.True(await IsRefused(port, null), $"port {port} took a connection without a certificate");
                Assert.True(await IsRefused(port, _certificates.Rogue), $"port {port} took a certificate of another authority");
            }
        }

        // An Orleans client with a stranger's certificate keeps failing to connect, so it cannot call a grain.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _cluster.ConnectClientAsync(_certificates.Settings("rogue"), giveUp.Token));
    }

    /// <summary>
    /// Whether the port ends a TLS connection that offers <paramref name="certificate"/> (none when null): the
    /// handshake fails, or the connection is closed right after it (TLS 1.3 sends the refusal of a client's
    /// certificate after the client thinks it is done).
    /// </summary>
    private static async Task<bool> IsRefused(int port, X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var afterHandshake = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ClientCertificates = certificate is null ? null : [certificate],
                    // The server's certificate is not what this checks.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                },
                deadline.Token);
            // A refusal follows the handshake at once; a connection still open after a few seconds was taken.
            afterHandshake.CancelAfter(TimeSpan.FromSeconds(3));
            return await tls.ReadAsync(new byte[1], afterHandshake.Token) == 0;
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            // Still open after the handshake: the certificate was taken.
            return false;
        }
    }
}
