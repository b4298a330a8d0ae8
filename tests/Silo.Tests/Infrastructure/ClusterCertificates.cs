using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conversations.Silo.Tests.Infrastructure;

/// <summary>
/// Certificates for a cluster with mutual TLS, made for one test in a folder of their own: an authority the
/// cluster trusts and a node certificate it issued (the cluster's processes all present that one), and a
/// rogue certificate issued by another authority, as an outsider would have.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    private ClusterCertificates(string directory, X509Certificate2 node, X509Certificate2 rogue)
    {
        Directory = directory;
        Node = node;
        Rogue = rogue;
    }

    public string Directory { get; }

    /// <summary>The cluster's own certificate, with its private key.</summary>
    public X509Certificate2 Node { get; }

    /// <summary>A certificate the cluster does not trust, with its private key.</summary>
    public X509Certificate2 Rogue { get; }

    private string TrustPath => Path.Combine(Directory, "ca.pem");

    public static ClusterCertificates Create()
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-tls", Guid.NewGuid().ToString("N"))).FullName;
        using var authority = Authority("CN=Conversations test cluster CA");
        using var stranger = Authority("CN=Someone else's CA");
        var node = Issue(authority, "CN=conversations-node");
        var rogue = Issue(stranger, "CN=conversations-node");
        File.WriteAllText(Path.Combine(directory, "ca.pem"), authority.ExportCertificatePem());
        Write(directory, "node", node);
        Write(directory, "rogue", rogue);
        return new ClusterCertificates(directory, node, rogue);
    }

    /// <summary>The settings that make a process present <paramref name="name"/>'s certificate ("node" or "rogue") and trust the cluster's authority.</summary>
    public IReadOnlyDictionary<string, string?> Settings(string name = "node") => new Dictionary<string, string?>
    {
        ["Cluster:Tls:Certificate"] = Path.Combine(Directory, $"{name}.pem"),
        ["Cluster:Tls:Key"] = Path.Combine(Directory, $"{name}.key"),
        ["Cluster:Tls:Trust"] = TrustPath,
    };

    public void Dispose()
    {
        Node.Dispose();
        Rogue.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static X509Certificate2 Authority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static void Write(string directory, string name, X509Certificate2 certificate)
    {
        File.WriteAllText(Path.Combine(directory, $"{name}.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, $"{name}.key"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }
}
