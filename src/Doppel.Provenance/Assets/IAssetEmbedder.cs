using Doppel.Provenance.Manifest;

namespace Doppel.Provenance.Assets;

/// <summary>
/// One container format that carries a C2PA manifest store: it recognises its files by their
/// bytes, finds the store already in one, and prepares a file to receive a new one. Adding a
/// container is one class implementing this plus one line in <see cref="AssetEmbedders"/>.
/// </summary>
public interface IAssetEmbedder
{
    /// <summary>Short name for messages and reports, e.g. "PNG".</summary>
    string Name { get; }

    /// <summary>The MIME type of the files it recognises; null for a catch-all (the sidecar).</summary>
    string? MediaType { get; }

    /// <summary>Whether <paramref name="file"/> (its first bytes suffice) is in this format.</summary>
    bool Recognises(ReadOnlySpan<byte> file);

    /// <summary>The JUMBF manifest store embedded in <paramref name="file"/>, or null when there is none.</summary>
    EmbeddedManifest? FindStore(ReadOnlySpan<byte> file, string source);

    /// <summary>
    /// Checks <paramref name="asset"/> and readies it for signing: any earlier manifest store is
    /// dropped and the place for the new one is chosen. Damaged files throw DoppelException.
    /// </summary>
    IEmbedding Prepare(byte[] asset, string source);
}

/// <summary>One asset being signed, between <see cref="IAssetEmbedder.Prepare"/> and <see cref="Embed"/>.</summary>
public interface IEmbedding
{
    /// <summary>MIME type of the asset, for the claim and ingredient records.</summary>
    string Format { get; }

    /// <summary>
    /// The hard-binding assertion (c2pa.hash.data, c2pa.hash.bmff, ...) for a manifest store of
    /// exactly <paramref name="storeLength"/> bytes. Its encoded size must never shrink as
    /// <paramref name="storeLength"/> grows, so the builder's size-settling loop converges.
    /// </summary>
    Assertion HardBinding(int storeLength);

    /// <summary>The signed result: the asset with <paramref name="store"/> embedded, or unchanged plus a sidecar.</summary>
    SignedAsset Embed(byte[] store);
}

/// <summary>What signing produced: the asset's bytes and, for sidecar signing, the <c>.c2pa</c> manifest store beside it.</summary>
public sealed record SignedAsset(byte[] Asset, byte[]? Sidecar);
