using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doppel.Core;

namespace Doppel.Provenance.Cose;

/// <summary>
/// A signing key and its certificate chain (end-entity first). The local identity lives in the
/// cache (<c>c2pa/</c>): C2PA validators reject self-signed end-entity certificates, so Doppel
/// makes a local root (its key is discarded after use) that issues one end-entity certificate
/// with the profile C2PA asks for (v3, digitalSignature KU critical, emailProtection and
/// documentSigning EKUs, not a CA, SKI/AKI). No one trusts that root, and verify says so.
/// </summary>
public sealed class SigningIdentity : IDisposable
{
    public required ECDsa Key { get; init; }
    public required IReadOnlyList<X509Certificate2> Chain { get; init; }
    public X509Certificate2 Certificate => Chain[0];

    public const string KeyFile = "signing-key.pem", CertFile = "signing-cert.pem", RootFile = "local-root.pem";

    public static string LocalDirectory => Path.Combine(DoppelPaths.Cache, "c2pa");

    /// <summary>The local identity in <paramref name="directory"/>, created on first use with user-only permissions.</summary>
    public static SigningIdentity LoadOrCreateLocal(string? directory = null)
    {
        directory ??= LocalDirectory;
        string key = Path.Combine(directory, KeyFile), cert = Path.Combine(directory, CertFile);
        if (!File.Exists(key) || !File.Exists(cert)) CreateLocal(directory);
        return Load(key, cert);
    }

    /// <summary>A PEM private key (P-256) and a PEM certificate chain, end-entity first.</summary>
    public static SigningIdentity Load(string keyPath, string certPath)
    {
        if (!File.Exists(keyPath)) throw new DoppelException($"signing key not found: {keyPath}", "pass --key with a PEM file holding a P-256 (ES256) private key");
        if (!File.Exists(certPath)) throw new DoppelException($"certificate not found: {certPath}", "pass --cert with a PEM file holding the signing certificate (and its intermediates)");
        var ec = ECDsa.Create();
        try { ec.ImportFromPem(File.ReadAllText(keyPath)); }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            throw new DoppelException($"{keyPath} is not a PEM EC private key ({e.Message})", "only ES256 (P-256) keys are supported so far");
        }
        if (ec.KeySize != 256) { ec.Dispose(); throw new DoppelException($"{keyPath} is a {ec.KeySize}-bit EC key", "only ES256 (P-256) keys are supported so far"); }
        var certs = new X509Certificate2Collection();
        try { certs.ImportFromPemFile(certPath); }
        catch (CryptographicException e) { ec.Dispose(); throw new DoppelException($"{certPath} is not a PEM certificate file ({e.Message})", "pass the signing certificate in PEM form"); }
        if (certs.Count == 0) { ec.Dispose(); throw new DoppelException($"{certPath} holds no certificate", "pass the signing certificate in PEM form"); }
        using (ECDsa? pub = certs[0].GetECDsaPublicKey())
        {
            if (pub is null || !pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ec.ExportSubjectPublicKeyInfo()))
            {
                ec.Dispose();
                throw new DoppelException($"the key in {keyPath} does not match the certificate in {certPath}", "the first certificate in --cert must be the one issued for --key");
            }
        }
        // x5chain carries the end-entity and intermediates, never a self-signed root.
        var chain = certs.Where((c, i) => i == 0 || c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) == false).ToList();
        return new SigningIdentity { Key = ec, Chain = chain };
    }

    private static void CreateLocal(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string who = $"{Environment.UserName}@{Environment.MachineName}";
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootReq = new CertificateRequest(Name($"Doppel local root {who}"), rootKey, HashAlgorithmName.SHA256);
        rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var rootSki = new X509SubjectKeyIdentifierExtension(rootReq.PublicKey, false);
        rootReq.CertificateExtensions.Add(rootSki);
        using X509Certificate2 root = rootReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(Name($"Doppel signer {who}"), key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.4"), new Oid("1.3.6.1.5.5.7.3.36") }, false));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using X509Certificate2 leaf = req.Create(root, now.AddDays(-1), now.AddYears(10), serial);

        WritePrivate(Path.Combine(directory, RootFile), root.ExportCertificatePem() + "\n");
        WritePrivate(Path.Combine(directory, CertFile), leaf.ExportCertificatePem() + "\n");
        WritePrivate(Path.Combine(directory, KeyFile), key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static X500DistinguishedName Name(string commonName)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(commonName);
        b.AddOrganizationName("Doppel local signing identity (untrusted)");
        return b.Build();
    }

    /// <summary>Writes a file readable and writable by the user only (mode 0600 from creation, never wider).</summary>
    private static void WritePrivate(string path, string text)
    {
        string tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(tmp, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        File.Move(tmp, path, overwrite: true);
    }

    public void Dispose()
    {
        Key.Dispose();
        foreach (var c in Chain) c.Dispose();
    }
}
