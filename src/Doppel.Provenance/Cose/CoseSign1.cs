using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doppel.Provenance.Cbor;

namespace Doppel.Provenance.Cose;

/// <summary>
/// COSE_Sign1 (RFC 9052) as C2PA uses it: a detached payload (the claim's CBOR bytes), the
/// algorithm (label 1) and the certificate chain (x5chain, label 33: one bstr, or an array of
/// bstr, end-entity first) in the protected header. ECDSA signatures are IEEE P1363 r||s.
/// </summary>
public sealed class CoseSign1
{
    public const int HeaderAlg = 1;
    public const int HeaderX5Chain = 33;
    public const int AlgEs256 = -7, AlgEs384 = -35, AlgEs512 = -36, AlgPs256 = -37, AlgPs384 = -38, AlgPs512 = -39, AlgEdDsa = -8;

    public required byte[] ProtectedBytes { get; init; }
    public required CborMap Protected { get; init; }
    public required CborMap Unprotected { get; init; }
    public required byte[] Signature { get; init; }

    public long? Algorithm => Protected[(long)HeaderAlg] as long?;

    /// <summary>
    /// The x5chain certificates (DER), end-entity first; from the protected header, else the
    /// unprotected one, where c2pa-rs before 0.30 put them under the text key "x5chain".
    /// </summary>
    public List<byte[]> CertificateChain
    {
        get
        {
            object? v = Protected[(long)HeaderX5Chain] ?? Unprotected[(long)HeaderX5Chain] ?? Unprotected["x5chain"];
            return v switch
            {
                byte[] one => [one],
                List<object?> many => many.OfType<byte[]>().ToList(),
                _ => [],
            };
        }
    }

    public static string AlgorithmName(long? alg) => alg switch
    {
        AlgEs256 => "ES256", AlgEs384 => "ES384", AlgEs512 => "ES512",
        AlgPs256 => "PS256", AlgPs384 => "PS384", AlgPs512 => "PS512", AlgEdDsa => "Ed25519",
        null => "none", _ => $"COSE alg {alg}",
    };

    /// <summary>Signs <paramref name="payload"/> with ES256 (P-256, SHA-256); returns the tagged COSE_Sign1 bytes.</summary>
    public static byte[] SignEs256(ReadOnlySpan<byte> payload, ECDsa key, IReadOnlyList<X509Certificate2> chain)
    {
        if (key.KeySize != 256) throw new ArgumentException("ES256 needs a P-256 key", nameof(key));
        if (chain.Count == 0) throw new ArgumentException("the certificate chain is empty", nameof(chain));
        object x5 = chain.Count == 1 ? chain[0].RawData : chain.Select(c => (object?)c.RawData).ToList();
        byte[] protectedBytes = CborWriter.Encode(new CborMap().Add((long)HeaderAlg, (long)AlgEs256).Add((long)HeaderX5Chain, x5));
        byte[] toSign = SigStructure(protectedBytes, payload);
        byte[] signature = key.SignData(toSign, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var sign1 = new List<object?> { protectedBytes, new CborMap(), null, signature };
        return CborWriter.Encode(new CborTag(18, sign1));
    }

    /// <summary>Sig_structure for COSE_Sign1: ["Signature1", protected, external_aad = h'', payload].</summary>
    public static byte[] SigStructure(byte[] protectedBytes, ReadOnlySpan<byte> payload) =>
        CborWriter.Encode(new List<object?> { "Signature1", protectedBytes, Array.Empty<byte>(), payload.ToArray() });

    /// <summary>Parses tagged (18) or untagged COSE_Sign1; throws <see cref="CborException"/> on anything malformed.</summary>
    public static CoseSign1 Parse(ReadOnlySpan<byte> data)
    {
        object? item = CborReader.Decode(data);
        if (item is CborTag { Tag: 18 } tag) item = tag.Value;
        if (item is not List<object?> { Count: 4 } parts) throw new CborException("COSE_Sign1 is not a 4-element array");
        if (parts[0] is not byte[] protectedBytes) throw new CborException("COSE_Sign1 protected header is not a byte string");
        CborMap prot = protectedBytes.Length == 0 ? new CborMap()
            : CborReader.Decode(protectedBytes) as CborMap ?? throw new CborException("COSE_Sign1 protected header is not a map");
        if (parts[1] is not CborMap unprot) throw new CborException("COSE_Sign1 unprotected header is not a map");
        if (parts[3] is not byte[] sig) throw new CborException("COSE_Sign1 signature is not a byte string");
        return new CoseSign1 { ProtectedBytes = protectedBytes, Protected = prot, Unprotected = unprot, Signature = sig };
    }

    /// <summary>Checks the signature over a detached <paramref name="payload"/> with the end-entity certificate's key.</summary>
    public bool Verify(ReadOnlySpan<byte> payload, X509Certificate2 signer)
    {
        byte[] toVerify = SigStructure(ProtectedBytes, payload);
        switch (Algorithm)
        {
            case AlgEs256 or AlgEs384 or AlgEs512:
            {
                using ECDsa? ec = signer.GetECDsaPublicKey();
                if (ec is null) return false;
                var hash = Algorithm == AlgEs256 ? HashAlgorithmName.SHA256 : Algorithm == AlgEs384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
                return ec.VerifyData(toVerify, Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
            case AlgPs256 or AlgPs384 or AlgPs512:
            {
                using RSA? rsa = CertificateKeys.Rsa(signer);
                if (rsa is null) return false;
                var hash = Algorithm == AlgPs256 ? HashAlgorithmName.SHA256 : Algorithm == AlgPs384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
                return rsa.VerifyData(toVerify, Signature, hash, RSASignaturePadding.Pss);
            }
            default:
                throw new NotSupportedException($"signature algorithm {AlgorithmName(Algorithm)} is not supported");
        }
    }
}
