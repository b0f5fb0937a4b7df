namespace Doppel.Provenance.Assets;

/// <summary>Where the embedded manifest store lives in a file and its JUMBF bytes.</summary>
public sealed record EmbeddedManifest(byte[] Jumbf, string Container);

/// <summary>Finds the manifest store embedded in a file, through the embedder that recognises its bytes.</summary>
public static class ManifestLocator
{
    /// <summary>The embedded manifest store, or null when the file carries none (or is a kind that only takes sidecars).</summary>
    public static EmbeddedManifest? Find(ReadOnlySpan<byte> file, string source) => AssetEmbedders.For(file).FindStore(file, source);
}
