using Doppel.Provenance.Manifest;

namespace Doppel.Provenance.Assets;

/// <summary>
/// Any file no other embedder takes: the asset stays byte for byte as it is and the manifest
/// store goes beside it in <c>FILE.c2pa</c> (the C2PA "sidecar" form). The data hash covers the
/// whole asset, with no exclusions. Last in <see cref="AssetEmbedders"/>: it recognises everything.
/// </summary>
public sealed class SidecarEmbedder : IAssetEmbedder
{
    public const string Extension = ".c2pa";

    public string Name => "sidecar";

    public string? MediaType => null;

    public bool Recognises(ReadOnlySpan<byte> file) => true;

    /// <summary>A sidecar is never inside the asset.</summary>
    public EmbeddedManifest? FindStore(ReadOnlySpan<byte> file, string source) => null;

    public IEmbedding Prepare(byte[] asset, string source) => new Embedding(asset, MediaTypes.FromExtension(source));

    private sealed class Embedding(byte[] asset, string format) : IEmbedding
    {
        private readonly byte[] hash = DataHash.Sha256(asset);

        public string Format => format;

        public Assertion HardBinding(int storeLength) => DataHash.WholeFile(hash);

        public SignedAsset Embed(byte[] store) => new(asset, store);
    }
}
