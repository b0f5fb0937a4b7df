using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using Doppel.Provenance.Cbor;
using Formats = System.Formats.Cbor;

namespace Doppel.Provenance.Cose;

/// <summary>
/// COSE_Sign1 (RFC 9052) as C2PA uses it, on .NET's System.Security.Cryptography.Cose: a
/// detached payload (the claim's CBOR bytes), the algorithm (label 1) and the certificate chain
/// (x5chain, label 33: one bstr, or an array of bstr, end-entity first) in the protected header.
/// What is C2PA's own here: which certificate's key checks the signature (x5chain, which the
/// library does not interpret; keys of id-RSASSA-PSS certificates through
/// <see cref="CertificateKeys"/>), and where older signers put the chain.
/// </summary>
public sealed class CoseSign1
{
    public const int HeaderAlg = 1;
    public const int HeaderX5Chain = 33;
    public const int AlgEs256 = -7, AlgEs384 = -35, AlgEs512 = -36, AlgPs256 = -37, AlgPs384 = -38, AlgPs512 = -39, AlgEdDsa = -8;

    /// <summary>c2pa-rs before 0.30 wrote the chain in the unprotected header under this text label.</summary>
    private static readonly CoseHeaderLabel LegacyX5Chain = new("x5chain");

    private readonly CoseSign1Message _message;

    private CoseSign1(CoseSign1Message message) => _message = message;

    /// <summary>The protected header's algorithm, or null when it has none (or not a number).</summary>
    public long? Algorithm => Header(_message.ProtectedHeaders, CoseHeaderLabel.Algorithm) as long?;

    /// <summary>Whether the unprotected header carries an RFC 3161 time-stamp (C2PA's sigTst or sigTst2).</summary>
    public bool HasTimestamp =>
        _message.UnprotectedHeaders.ContainsKey(new CoseHeaderLabel("sigTst")) || _message.UnprotectedHeaders.ContainsKey(new CoseHeaderLabel("sigTst2"));

    /// <summary>
    /// The x5chain certificates (DER), end-entity first; from the protected header, else the
    /// unprotected one (label 33, or the text label "x5chain" of c2pa-rs before 0.30).
    /// </summary>
    public List<byte[]> CertificateChain
    {
        get
        {
            var x5 = new CoseHeaderLabel(HeaderX5Chain);
            object? v = Header(_message.ProtectedHeaders, x5) ?? Header(_message.UnprotectedHeaders, x5) ?? Header(_message.UnprotectedHeaders, LegacyX5Chain);
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

    /// <summary>Signs <paramref name="payload"/> with ES256 (P-256, SHA-256); returns the tagged COSE_Sign1 bytes, payload detached.</summary>
    public static byte[] SignEs256(ReadOnlySpan<byte> payload, ECDsa key, IReadOnlyList<X509Certificate2> chain)
    {
        if (key.KeySize != 256) throw new ArgumentException("ES256 needs a P-256 key", nameof(key));
        if (chain.Count == 0) throw new ArgumentException("the certificate chain is empty", nameof(chain));
        object x5 = chain.Count == 1 ? chain[0].RawData : chain.Select(c => (object?)c.RawData).ToList();
        var protectedHeaders = new CoseHeaderMap
        {
            [CoseHeaderLabel.Algorithm] = CoseHeaderValue.FromInt32(AlgEs256),
            [new CoseHeaderLabel(HeaderX5Chain)] = CoseHeaderValue.FromEncodedValue(CborWriter.Encode(x5)),
        };
        var signer = new CoseSigner(key, HashAlgorithmName.SHA256, protectedHeaders, new CoseHeaderMap());
        return CoseSign1Message.SignDetached(payload, signer);
    }

    /// <summary>
    /// Sig_structure for COSE_Sign1: ["Signature1", protected, external_aad = h'', payload], the
    /// bytes a signature covers (the library builds its own; this is for signing by other means,
    /// as a test does with a key the library would not be handed).
    /// </summary>
    public static byte[] SigStructure(byte[] protectedBytes, ReadOnlySpan<byte> payload)
    {
        var writer = new Formats.CborWriter();
        writer.WriteStartArray(4);
        writer.WriteTextString("Signature1");
        writer.WriteByteString(protectedBytes);
        writer.WriteByteString([]);
        writer.WriteByteString(payload);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Parses tagged (18) or untagged COSE_Sign1; throws <see cref="CborException"/> on anything malformed.</summary>
    public static CoseSign1 Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            return new CoseSign1(CoseMessage.DecodeSign1(data));
        }
        catch (Exception e) when (e is CryptographicException or Formats.CborContentException or InvalidOperationException or OverflowException or FormatException)
        {
            throw new CborException($"not a COSE_Sign1 message: {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>
    /// Checks the signature over a detached <paramref name="payload"/> with the end-entity
    /// certificate's key. False when the certificate's key does not suit the algorithm, or the
    /// message carries a payload of its own that is not <paramref name="payload"/>.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> payload, X509Certificate2 signer)
    {
        long? alg = Algorithm;
        AsymmetricAlgorithm? key = alg switch
        {
            AlgEs256 or AlgEs384 or AlgEs512 => signer.GetECDsaPublicKey(),
            AlgPs256 or AlgPs384 or AlgPs512 => CertificateKeys.Rsa(signer),
            _ => throw new NotSupportedException($"signature algorithm {AlgorithmName(alg)} is not supported"),
        };
        if (key is null) return false;
        using (key)
        {
            if (_message.Content is not { } embedded) return _message.VerifyDetached(key, payload);
            // C2PA's payload is detached (nil). One given anyway is signed over as such, so it
            // verifies only when it is the claim itself.
            return embedded.Span.SequenceEqual(payload) && _message.VerifyEmbedded(key);
        }
    }

    /// <summary>A header's value in Doppel's CBOR model, or null when absent or unreadable.</summary>
    private static object? Header(CoseHeaderMap map, CoseHeaderLabel label)
    {
        if (!map.TryGetValue(label, out CoseHeaderValue value)) return null;
        try { return CborReader.Decode(value.EncodedValue.Span); }
        catch (CborException) { return null; }
    }
}
