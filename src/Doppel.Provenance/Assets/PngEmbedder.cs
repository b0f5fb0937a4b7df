using Doppel.Core;
using Doppel.Provenance.Manifest;

namespace Doppel.Provenance.Assets;

/// <summary>
/// PNG: the manifest store is the data of a <c>caBX</c> chunk, placed right after IHDR as
/// c2pa-rs puts it (through <see cref="PngChunkEditor"/>). The data hash excludes the whole
/// chunk (length, type, data and CRC).
/// </summary>
public sealed class PngEmbedder : IAssetEmbedder
{
    public string Name => "PNG";

    public string? MediaType => "image/png";

    public bool Recognises(ReadOnlySpan<byte> file) => PngChunkEditor.HasSignature(file);

    public EmbeddedManifest? FindStore(ReadOnlySpan<byte> file, string source)
    {
        foreach (PngChunkSpan chunk in PngChunkEditor.Scan(file, source))
            if (chunk.Type == PngChunkEditor.ManifestChunk) return new EmbeddedManifest(chunk.Data(file).ToArray(), "PNG caBX chunk");
        return null;
    }

    public IEmbedding Prepare(byte[] asset, string source)
    {
        if (!Recognises(asset)) throw new DoppelException($"{source} is not a PNG file", "the PNG signature is missing");
        // Signing checks every chunk and CRC (verifying does not: a damaged file is reported, not refused).
        byte[] clean = PngChunkEditor.Remove(asset, PngChunkEditor.ManifestChunk, source); // an earlier manifest
        return new Embedding(clean, PngChunkEditor.Scan(clean, source)[0].End, source);
    }

    private sealed class Embedding(byte[] png, int afterHeader, string source) : IEmbedding
    {
        private readonly byte[] hash = DataHash.Sha256(png);

        public string Format => "image/png";

        public Assertion HardBinding(int storeLength) => DataHash.Excluding(afterHeader, storeLength + 12L, hash);

        public SignedAsset Embed(byte[] store) => new(PngChunkEditor.Insert(png, PngChunkEditor.ManifestChunk, store, PngChunkPlacement.AfterHeader, source), null);
    }
}
