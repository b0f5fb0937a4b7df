using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.Provenance.Cose;

/// <summary>Public keys of signing certificates, including the key types .NET does not open by itself.</summary>
public static class CertificateKeys
{
    /// <summary>rsaEncryption: a plain RSA key, usable for any RSA scheme.</summary>
    public const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>id-RSASSA-PSS: an RSA key restricted to PSS signatures (RFC 4055), as PS256 signers often carry.</summary>
    public const string RsaPssOid = "1.2.840.113549.1.1.10";

    /// <summary>
    /// The certificate's RSA public key, or null when it holds another key type.
    /// <see cref="X509Certificate2.GetRSAPublicKey"/> returns null for id-RSASSA-PSS keys (the
    /// C2PA test signers use them), yet their subjectPublicKey is the same PKCS#1 RSAPublicKey as
    /// an rsaEncryption key's, so it is imported directly.
    /// </summary>
    public static RSA? Rsa(X509Certificate2 certificate)
    {
        switch (certificate.PublicKey.Oid.Value)
        {
            case RsaEncryptionOid:
                return certificate.GetRSAPublicKey();
            case RsaPssOid:
            {
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportRSAPublicKey(certificate.PublicKey.EncodedKeyValue.RawData, out int read);
                    if (read != certificate.PublicKey.EncodedKeyValue.RawData.Length) throw new CryptographicException("trailing bytes after the RSA public key");
                    return rsa;
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }
            }
            default:
                return null;
        }
    }
}
