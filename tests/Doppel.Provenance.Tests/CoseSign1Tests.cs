using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;

namespace Doppel.Provenance.Tests;

/// <summary>
/// COSE_Sign1 on .NET's System.Security.Cryptography.Cose, as C2PA uses it: the shape of what
/// Doppel signs, every algorithm the validator accepts, the chain where older signers put it,
/// and hostile bytes.
/// </summary>
public class CoseSign1Tests
{
    private static readonly byte[] Claim = CborWriter.Encode(new CborMap().Add("instanceID", "xmp:iid:test").Add("alg", "sha256"));

    private static X509Certificate2 Certificate(AsymmetricAlgorithm key, string name = "CN=COSE test signer")
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(name, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => throw new ArgumentException("EC or RSA keys only"),
        };
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void SignEs256_WritesATaggedDetachedMessage_WithAlgAndX5ChainProtected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Certificate(key);
        byte[] signed = CoseSign1.SignEs256(Claim, key, [cert]);

        var item = Assert.IsType<CborTag>(CborReader.Decode(signed));
        Assert.Equal(18UL, item.Tag);
        var parts = Assert.IsType<List<object?>>(item.Value);
        Assert.Equal(4, parts.Count);
        var protectedHeader = Assert.IsType<CborMap>(CborReader.Decode(Assert.IsType<byte[]>(parts[0])));
        Assert.Equal((long)CoseSign1.AlgEs256, protectedHeader[(long)CoseSign1.HeaderAlg]);
        Assert.Equal(cert.RawData, protectedHeader[(long)CoseSign1.HeaderX5Chain]);
        Assert.Empty(Assert.IsType<CborMap>(parts[1]).Entries);
        Assert.Null(parts[2]); // the claim is detached
        Assert.Equal(64, Assert.IsType<byte[]>(parts[3]).Length); // P1363 r || s

        var parsed = CoseSign1.Parse(signed);
        Assert.Equal(CoseSign1.AlgEs256, parsed.Algorithm);
        Assert.Equal(cert.RawData, Assert.Single(parsed.CertificateChain));
        Assert.False(parsed.HasTimestamp);
        Assert.True(parsed.Verify(Claim, cert));
        Assert.False(parsed.Verify([.. Claim, 0], cert));
    }

    [Fact]
    public void AChainOfTwo_IsAnArray_EndEntityFirst()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = Certificate(key);
        using var intermediate = Certificate(other, "CN=COSE test intermediate");
        var parsed = CoseSign1.Parse(CoseSign1.SignEs256(Claim, key, [leaf, intermediate]));
        Assert.Equal([leaf.RawData, intermediate.RawData], parsed.CertificateChain);
        Assert.True(parsed.Verify(Claim, leaf));
        Assert.False(parsed.Verify(Claim, intermediate));
    }

    public static TheoryData<string> Algorithms => ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void EveryAcceptedAlgorithm_Verifies_AndAChangedClaimDoesNot(string algorithm)
    {
        var hash = algorithm[2..] switch { "256" => HashAlgorithmName.SHA256, "384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        using AsymmetricAlgorithm key = algorithm[0] == 'E'
            ? ECDsa.Create(algorithm[2..] switch { "256" => ECCurve.NamedCurves.nistP256, "384" => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 })
            : RSA.Create(2048);
        using var cert = Certificate(key);
        var protectedHeaders = new CoseHeaderMap { [new CoseHeaderLabel(CoseSign1.HeaderX5Chain)] = CoseHeaderValue.FromBytes(cert.RawData) };
        var signer = key is ECDsa ec
            ? new CoseSigner(ec, hash, protectedHeaders)
            : new CoseSigner((RSA)key, RSASignaturePadding.Pss, hash, protectedHeaders);
        var parsed = CoseSign1.Parse(CoseSign1Message.SignDetached(Claim, signer));

        Assert.Equal(algorithm, CoseSign1.AlgorithmName(parsed.Algorithm));
        Assert.True(parsed.Verify(Claim, cert));
        byte[] changed = (byte[])Claim.Clone();
        changed[^1] ^= 1;
        Assert.False(parsed.Verify(changed, cert));
    }

    [Fact]
    public void AKeyOfTheWrongKind_DoesNotVerify()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        using var ecCert = Certificate(ec);
        using var rsaCert = Certificate(rsa);
        Assert.False(CoseSign1.Parse(CoseSign1.SignEs256(Claim, ec, [ecCert])).Verify(Claim, rsaCert));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AChainInTheUnprotectedHeader_IsRead_AsOlderC2paSignersWroteIt(bool textLabel)
    {
        // c2pa-rs before 0.30 put x5chain in the unprotected header, under the text label
        // "x5chain"; label 33 there is read too. Only alg is protected.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Certificate(key);
        byte[] prot = CborWriter.Encode(new CborMap().Add((long)CoseSign1.HeaderAlg, (long)CoseSign1.AlgEs256));
        byte[] signature = key.SignData(CoseSign1.SigStructure(prot, Claim), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var unprotectedHeader = new CborMap().Add(textLabel ? "x5chain" : (long)CoseSign1.HeaderX5Chain, new List<object?> { cert.RawData });
        byte[] cose = CborWriter.Encode(new CborTag(18, new List<object?> { prot, unprotectedHeader, null, signature }));

        var parsed = CoseSign1.Parse(cose);
        Assert.Equal(cert.RawData, Assert.Single(parsed.CertificateChain));
        Assert.True(parsed.Verify(Claim, cert));
    }

    [Fact]
    public void ATimestamp_IsSeenInTheUnprotectedHeader()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Certificate(key);
        var unprotectedHeaders = new CoseHeaderMap { [new CoseHeaderLabel("sigTst2")] = CoseHeaderValue.FromEncodedValue(CborWriter.Encode(new CborMap().Add("tstTokens", new List<object?>()))) };
        var protectedHeaders = new CoseHeaderMap { [new CoseHeaderLabel(CoseSign1.HeaderX5Chain)] = CoseHeaderValue.FromBytes(cert.RawData) };
        var parsed = CoseSign1.Parse(CoseSign1Message.SignDetached(Claim, new CoseSigner(key, HashAlgorithmName.SHA256, protectedHeaders, unprotectedHeaders)));
        Assert.True(parsed.HasTimestamp);
        Assert.True(parsed.Verify(Claim, cert));
    }

    [Fact]
    public void AnUnsupportedAlgorithm_IsSaidToBe()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Certificate(key);
        byte[] prot = CborWriter.Encode(new CborMap().Add((long)CoseSign1.HeaderAlg, (long)CoseSign1.AlgEdDsa).Add((long)CoseSign1.HeaderX5Chain, cert.RawData));
        byte[] cose = CborWriter.Encode(new CborTag(18, new List<object?> { prot, new CborMap(), null, new byte[64] }));
        var parsed = CoseSign1.Parse(cose);
        Assert.Equal("Ed25519", CoseSign1.AlgorithmName(parsed.Algorithm));
        Assert.Throws<NotSupportedException>(() => parsed.Verify(Claim, cert));
    }

    [Fact]
    public void AnEmbeddedPayload_VerifiesOnlyWhenItIsTheClaim()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Certificate(key);
        var protectedHeaders = new CoseHeaderMap { [new CoseHeaderLabel(CoseSign1.HeaderX5Chain)] = CoseHeaderValue.FromBytes(cert.RawData) };
        var parsed = CoseSign1.Parse(CoseSign1Message.SignEmbedded(Claim, new CoseSigner(key, HashAlgorithmName.SHA256, protectedHeaders)));
        Assert.True(parsed.Verify(Claim, cert));
        Assert.False(parsed.Verify([.. Claim, 0], cert));
    }

    [Fact]
    public void Fuzz_MutatedMessages_AreCborErrorsOrVerdicts_NeverAnythingElse()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Certificate(key);
        byte[] signed = CoseSign1.SignEs256(Claim, key, [cert]);
        var rng = new Random(2026);
        int parsedCount = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] m = (byte[])signed.Clone();
            for (int k = 1 + rng.Next(3); k > 0; k--)
                m[rng.Next(m.Length)] = rng.Next(3) == 0 ? (byte)0xff : (byte)rng.Next(256);
            if (i % 5 == 0) m = m[..rng.Next(m.Length)];
            CoseSign1 parsed;
            try { parsed = CoseSign1.Parse(m); }
            catch (CborException) { continue; }
            parsedCount++;
            try
            {
                _ = parsed.CertificateChain;
                // Everything but the signature itself is signed over, so only an unchanged message verifies.
                if (parsed.Verify(Claim, cert)) Assert.Equal(signed, m);
            }
            catch (Exception e) when (e is NotSupportedException or CryptographicException) { }
        }
        Assert.InRange(parsedCount, 1, 2999); // some mutations still parse, and are checked above
    }
}
