using Doppel.Provenance.Bmff;

namespace Doppel.Provenance.Assets;

/// <summary>Where the embedded manifest store lives in a file and its JUMBF bytes.</summary>
public sealed record EmbeddedManifest(byte[] Jumbf, string Container);

/// <summary>Finds the manifest store embedded in a file, through the embedder that recognises its bytes.</summary>
public static class ManifestLocator
{
    /// <summary>The embedded manifest store, or null when the file carries none (or is a kind that only takes sidecars).</summary>
    public static EmbeddedManifest? Find(ReadOnlySpan<byte> file, string source)
    {
        // MP4 is read here until it has an embedder of its own (signing MP4 in place); until
        // then AssetEmbedders gives MP4 files a sidecar, and this finds none in the file.
        if (BmffReader.LooksLikeBmff(file)) return Mp4ManifestLocator.Find(file, source);
        return AssetEmbedders.For(file).FindStore(file, source);
    }
}
