using System.Security.Cryptography.X509Certificates;
using Conversations.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Conversations.Hosting.Cluster;

/// <summary>
/// Mutual TLS between the cluster's processes (silo to silo, API host to gateway): each presents its
/// certificate, and each accepts only a peer whose certificate chains to <see cref="Trusted"/>. A process
/// without such a certificate can neither join the cluster nor call a grain. Off unless configured.
/// <list type="bullet">
/// <item><c>Cluster__Tls__Certificate</c>: a PEM certificate (with <c>Cluster__Tls__Key</c>, its PEM private key)
/// or a PFX file (with <c>Cluster__Tls__Password</c> when it has one); or instead</item>
/// <item><c>Cluster__Tls__StoreSubject</c>: the subject of a certificate in the certificate store
/// (<c>Cluster__Tls__StoreName</c>, default <c>My</c>; <c>Cluster__Tls__StoreLocation</c>, default <c>CurrentUser</c>);</item>
/// <item><c>Cluster__Tls__Trust</c>: a PEM file of the certificate authorities the cluster's certificates are issued
/// by. Without it, peers must present a certificate issued like this process's own (self-signed: the same one).</item>
/// </list>
/// </summary>
public sealed record ClusterTls(X509Certificate2 Certificate, X509Certificate2Collection Trusted)
{
    private const string Section = "Cluster:Tls";

    /// <summary>The TLS settings, or null when TLS is off; a setting that cannot be used stops the process.</summary>
    public static ClusterTls? From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var path = NonEmpty(section["Certificate"]);
        var subject = NonEmpty(section["StoreSubject"]);
        if (path is null && subject is null)
        {
            return null;
        }

        if (path is not null && subject is not null)
        {
            throw new InvalidSettingException($"{Section}:Certificate and {Section}:StoreSubject name two certificates; set one of them.");
        }

        var certificate = path is not null ? FromFile(path, NonEmpty(section["Key"]), section["Password"]) : FromStore(subject!, section);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidSettingException($"{Section}: the certificate {certificate.Subject} has no private key; give {Section}:Key (PEM) or a PFX that holds it.");
        }

        var trusted = new X509Certificate2Collection();
        if (NonEmpty(section["Trust"]) is { } trustPath)
        {
            try
            {
                trusted.ImportFromPemFile(trustPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidSettingException($"{Section}:Trust: '{trustPath}' could not be read as PEM certificates ({e.GetType().Name}).");
            }

            if (trusted.Count == 0)
            {
                throw new InvalidSettingException($"{Section}:Trust: '{trustPath}' holds no PEM certificate.");
            }
        }
        else
        {
            // A self-signed certificate trusts itself; one issued by a CA needs its issuer, which only Trust can give.
            trusted.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        }

        return new ClusterTls(certificate, trusted);
    }

    /// <summary>Requires a certificate of every peer, in both directions, and admits only those <see cref="Admits"/> accepts.</summary>
    public void Configure(Orleans.Connections.Security.TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (peer, _, _) => Admits(peer);
    }

    /// <summary>Whether a peer's certificate chains to one of <see cref="Trusted"/> (names are not checked: the cluster's addresses are its own).</summary>
    public bool Admits(X509Certificate2? peer)
    {
        if (peer is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(peer);
    }

    private static X509Certificate2 FromFile(string path, string? keyPath, string? password)
    {
        try
        {
            if (keyPath is null)
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }

            // Through PKCS#12 once, so the key is one TLS can use on every platform (a PEM key stays ephemeral).
            using var pem = X509Certificate2.CreateFromPemFile(path, keyPath);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // The exception's own message is left out: it could describe the password.
            throw new InvalidSettingException($"{Section}:Certificate: '{path}' could not be read as a certificate with its private key ({e.GetType().Name}).");
        }
    }

    private static X509Certificate2 FromStore(string subject, IConfigurationSection section)
    {
        var name = Enum.TryParse<StoreName>(section["StoreName"] ?? nameof(StoreName.My), ignoreCase: true, out var storeName)
            ? storeName
            : throw new InvalidSettingException($"{Section}:StoreName must be a certificate store name such as My; '{section["StoreName"]}' is not.");
        var location = Enum.TryParse<StoreLocation>(section["StoreLocation"] ?? nameof(StoreLocation.CurrentUser), ignoreCase: true, out var storeLocation)
            ? storeLocation
            : throw new InvalidSettingException($"{Section}:StoreLocation must be CurrentUser or LocalMachine; '{section["StoreLocation"]}' is not.");
        using var store = new X509Store(name, location);
        store.Open(OpenFlags.ReadOnly);
        var found = store.Certificates.Find(X509FindType.FindBySubjectName, subject, validOnly: false);
        return found.Count > 0
            ? found.OrderByDescending(c => c.NotAfter).First()
            : throw new InvalidSettingException($"{Section}:StoreSubject: no certificate for '{subject}' in {location}/{name}.");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
