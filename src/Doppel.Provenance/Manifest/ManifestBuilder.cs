using System.Security.Cryptography;
using Doppel.Provenance.Assets;
using Doppel.Provenance.Cbor;
using Doppel.Provenance.Cose;
using Doppel.Provenance.Jumbf;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// Builds and signs one C2PA manifest, whatever the container: the assertion store (the
/// assertions added here plus the hard binding the embedding supplies), a v2 claim
/// (<c>c2pa.claim.v2</c>, created_assertions as hashed URIs), and its COSE_Sign1 signature,
/// all in a manifest store of one manifest.
/// <para>
/// The hard binding names the bytes the store will occupy, so it depends on the store's own
/// length: <see cref="Sign"/> builds the store for a guessed length, then again for the length
/// it got, until the two agree (two or three rounds; hard bindings only grow with the length).
/// </para>
/// </summary>
public sealed class ManifestBuilder(string generatorName, string generatorVersion)
{
    private readonly List<(string Label, byte[] Box)> assertions = [];

    /// <summary>The manifest's label in the store, a C2PA URN.</summary>
    public string ManifestLabel { get; } = "urn:c2pa:" + Guid.NewGuid().ToString("D");

    /// <summary>The claim's instanceID: identifies this signed version of the asset.</summary>
    public string InstanceId { get; } = "xmp:iid:" + Guid.NewGuid().ToString("D");

    /// <summary>The claim's dc:title, usually the asset's file name.</summary>
    public string? Title { get; set; }

    /// <summary>Adds an assertion (repeated labels get the <c>__1</c>, <c>__2</c> suffixes C2PA uses) and returns its hashed URI, for references from later assertions.</summary>
    public CborMap Add(Assertion assertion)
    {
        string label = UniqueLabel(assertion.Label);
        byte[] box = assertion.ToJumbf(label);
        assertions.Add((label, box));
        return HashedUri(label, box);
    }

    /// <summary>Builds, signs and embeds the manifest; <paramref name="embedding"/> supplies the hard binding and the container.</summary>
    public SignedAsset Sign(IEmbedding embedding, SigningIdentity identity)
    {
        int length = 0;
        for (int round = 0; round < 16; round++)
        {
            byte[] store = BuildStore(embedding.HardBinding(length), identity);
            if (store.Length == length) return embedding.Embed(store);
            length = store.Length;
        }
        throw new InvalidOperationException("the manifest store's size did not settle: the hard binding shrinks as the store grows");
    }

    /// <summary>The JUMBF manifest store with <paramref name="hardBinding"/> as the last assertion.</summary>
    internal byte[] BuildStore(Assertion hardBinding, SigningIdentity identity)
    {
        string bindingLabel = UniqueLabel(hardBinding.Label);
        byte[] bindingBox = hardBinding.ToJumbf(bindingLabel);
        List<(string Label, byte[] Box)> all = [.. assertions, (bindingLabel, bindingBox)];
        byte[] assertionStore = JumbfWriter.Superbox("c2as", C2pa.AssertionStore, all.Select(a => a.Box).ToArray());

        var claim = new CborMap()
            .Add("instanceID", InstanceId);
        if (Title is { } title) claim.Add("dc:title", title);
        claim.Add("claim_generator_info", new CborMap().Add("name", generatorName).Add("version", generatorVersion))
            .Add("signature", $"self#jumbf={C2pa.Signature}")
            .Add("created_assertions", all.Select(a => (object?)HashedUri(a.Label, a.Box)).ToList())
            .Add("alg", "sha256");
        byte[] claimBytes = CborWriter.Encode(claim);
        byte[] claimBox = JumbfWriter.Superbox("c2cl", C2pa.ClaimV2, JumbfWriter.Box("cbor", claimBytes));
        byte[] signature = CoseSign1.SignEs256(claimBytes, identity.Key, identity.Chain);
        byte[] signatureBox = JumbfWriter.Superbox("c2cs", C2pa.Signature, JumbfWriter.Box("cbor", signature));
        byte[] manifest = JumbfWriter.Superbox("c2ma", ManifestLabel, assertionStore, claimBox, signatureBox);
        return JumbfWriter.Superbox("c2pa", C2pa.StoreLabel, manifest);
    }

    private string UniqueLabel(string label)
    {
        if (assertions.All(a => a.Label != label)) return label;
        for (int n = 1; ; n++)
            if (assertions.All(a => a.Label != $"{label}__{n}")) return $"{label}__{n}";
    }

    /// <summary>A hashed URI to an assertion: SHA-256 over the superbox's payload (its description and content boxes, not its own 8-byte header).</summary>
    private static CborMap HashedUri(string label, byte[] assertionBox) => new CborMap()
        .Add("url", $"self#jumbf={C2pa.AssertionStore}/{label}")
        .Add("hash", SHA256.HashData(assertionBox.AsSpan(8)));
}
