using System.Security.Cryptography;
using Doppel.Core;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Jumbf;

namespace Doppel.Provenance.Manifest;

/// <summary>What the manifest says about the file.</summary>
public sealed record SignOptions
{
    public string ClaimGenerator { get; init; } = "Doppel";
    public string ClaimGeneratorVersion { get; init; } = "0.1.0";
    public string DigitalSourceType { get; init; } = C2pa.TrainedAlgorithmicMedia;
    public string? Title { get; init; }
}

/// <summary>
/// Signs a PNG with a C2PA manifest (claim v1, as c2pa-rs writes for <c>c2pa.claim</c>):
/// assertions <c>c2pa.actions</c> (one c2pa.created with its digitalSourceType) and
/// <c>c2pa.hash.data</c> (SHA-256 over the whole file except the <c>caBX</c> chunk, which sits
/// right after IHDR as c2pa-rs puts it), the claim, and a COSE_Sign1 ES256 signature.
/// </summary>
public static class PngSigner
{
    public static byte[] Sign(ReadOnlySpan<byte> png, SigningIdentity identity, SignOptions? options = null, string source = "PNG")
    {
        options ??= new SignOptions();
        if (ManifestLocator.Detect(png) != AssetFormat.Png) throw new DoppelException($"{source} is not a PNG file", "doppel sign handles PNG so far");
        // Drop any earlier manifest, then splice the new chunk in after IHDR.
        var chunks = ManifestLocator.PngChunks(png, source);
        if (chunks.Count == 0 || chunks[0].Type != "IHDR") throw new DoppelException($"{source}: the first PNG chunk is not IHDR", "the file is damaged");
        if (chunks[^1].Type != "IEND") throw new DoppelException($"{source}: the PNG has no IEND chunk", "the file is damaged or cut short");
        var clean = new MemoryStream(png.Length);
        clean.Write(png[..8]);
        foreach (var c in chunks)
            if (c.Type != "caBX") clean.Write(png.Slice(c.Start, c.Length + 12));
        byte[] original = clean.ToArray();
        int insertAt = 8 + chunks[0].Length + 12;
        byte[] assetHash = SHA256.HashData(original); // the bytes outside the exclusion are exactly these

        string manifestLabel = "urn:uuid:" + Guid.NewGuid().ToString("D");
        string instanceId = "xmp:iid:" + Guid.NewGuid().ToString("D");
        byte[] actionsBox = CborAssertion(C2pa.Actions, new CborMap().Add("actions", new List<object?>
        {
            new CborMap().Add("action", C2pa.Created)
                .Add("softwareAgent", $"{options.ClaimGenerator} {options.ClaimGeneratorVersion}")
                .Add("digitalSourceType", options.DigitalSourceType),
        }));

        int storeLength = 0;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            byte[] store = BuildStore(storeLength);
            if (store.Length == storeLength) return Splice(original, insertAt, store);
            storeLength = store.Length;
        }
        throw new InvalidOperationException("the manifest size did not settle");

        byte[] BuildStore(int guessedLength)
        {
            byte[] hashBox = CborAssertion(C2pa.DataHash, new CborMap()
                .Add("exclusions", new List<object?> { new CborMap().Add("start", (long)insertAt).Add("length", (long)guessedLength + 12) })
                .Add("name", "jumbf manifest")
                .Add("alg", "sha256")
                .Add("hash", assetHash)
                .Add("pad", Array.Empty<byte>()));
            byte[] assertionStore = JumbfWriter.Superbox("c2as", C2pa.AssertionStore, actionsBox, hashBox);
            var claim = new CborMap()
                .Add("claim_generator", $"{options.ClaimGenerator}/{options.ClaimGeneratorVersion}")
                .Add("claim_generator_info", new List<object?> { new CborMap().Add("name", options.ClaimGenerator).Add("version", options.ClaimGeneratorVersion) })
                .Add("signature", "self#jumbf=" + C2pa.Signature)
                .Add("assertions", new List<object?> { HashedUri(C2pa.Actions, actionsBox), HashedUri(C2pa.DataHash, hashBox) })
                .Add("dc:format", "image/png")
                .Add("instanceID", instanceId)
                .Add("alg", "sha256");
            if (options.Title is { } title) claim.Add("dc:title", title);
            byte[] claimBytes = CborWriter.Encode(claim);
            byte[] claimBox = JumbfWriter.Superbox("c2cl", C2pa.Claim, JumbfWriter.Box("cbor", claimBytes));
            byte[] cose = CoseSign1.SignEs256(claimBytes, identity.Key, identity.Chain);
            byte[] sigBox = JumbfWriter.Superbox("c2cs", C2pa.Signature, JumbfWriter.Box("cbor", cose));
            byte[] manifest = JumbfWriter.Superbox("c2ma", manifestLabel, assertionStore, claimBox, sigBox);
            return JumbfWriter.Superbox("c2pa", C2pa.StoreLabel, manifest);
        }
    }

    /// <summary>A CBOR assertion superbox: description (type "cbor", the label) and one cbor content box.</summary>
    internal static byte[] CborAssertion(string label, CborMap content) =>
        JumbfWriter.Superbox("cbor", label, JumbfWriter.Box("cbor", CborWriter.Encode(content)));

    /// <summary>A hashed URI to an assertion: the hash covers the superbox's payload (its description and content boxes, not its own 8-byte header).</summary>
    private static CborMap HashedUri(string label, byte[] assertionBox) =>
        new CborMap().Add("url", $"self#jumbf={C2pa.AssertionStore}/{label}").Add("hash", SHA256.HashData(assertionBox.AsSpan(8)));

    private static byte[] Splice(byte[] png, int at, byte[] store)
    {
        var output = new MemoryStream(png.Length + store.Length + 12);
        output.Write(png.AsSpan(0, at));
        var header = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)store.Length);
        "caBX"u8.CopyTo(header.AsSpan(4));
        output.Write(header);
        output.Write(store);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(header.AsSpan(4), store));
        output.Write(crc);
        output.Write(png.AsSpan(at));
        return output.ToArray();
    }

    private static uint Crc32(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in type) crc = Step(crc, b);
        foreach (byte b in data) crc = Step(crc, b);
        return crc ^ 0xFFFFFFFF;
        static uint Step(uint c, byte b)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            return c;
        }
    }
}
