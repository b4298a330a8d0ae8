using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Conversations.Hosting.Cluster;
using Conversations.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Conversations.Hosting.Tests.Cluster;

/// <summary>The cluster's TLS settings: off unless a certificate is named, read from PEM files, and admitting only certificates that chain to the trusted authority.</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("conversations-tls-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static ClusterTls? Read(Dictionary<string, string?> values) => ClusterTls.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    [Fact]
    public void Without_a_certificate_tls_is_off()
    {
        Assert.Null(Read([]));
    }

    [Fact]
    public void A_self_signed_pem_certificate_without_a_trust_file_admits_itself_and_nothing_else()
    {
        var (certificate, key) = Write("node", SelfSigned("CN=node"));
        using var stranger = SelfSigned("CN=node");

        var tls = Read(new() { ["Cluster:Tls:Certificate"] = certificate, ["Cluster:Tls:Key"] = key })!;

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.True(tls.Admits(tls.Certificate));
        Assert.False(tls.Admits(stranger));
        Assert.False(tls.Admits(null));
    }

    [Theory]
    [InlineData("Cluster:Tls:Certificate", "/nonexistent/node.pem")]
    [InlineData("Cluster:Tls:Trust", "/nonexistent/ca.pem")]
    public void A_file_that_cannot_be_read_is_named(string setting, string path)
    {
        var (certificate, key) = Write("node", SelfSigned("CN=node"));
        var values = new Dictionary<string, string?> { ["Cluster:Tls:Certificate"] = certificate, ["Cluster:Tls:Key"] = key, [setting] = path };

        var refused = Assert.Throws<InvalidSettingException>(() => Read(values));

        Assert.Contains(setting, refused.Message);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private (string Certificate, string Key) Write(string name, X509Certificate2 certificate)
    {
        var (path, keyPath) = (Path.Combine(_directory.FullName, $"{name}.pem"), Path.Combine(_directory.FullName, $"{name}.key"));
        File.WriteAllText(path, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (path, keyPath);
    }
}
