namespace Doppel.Provenance.Assets;

/// <summary>The containers Doppel signs and reads, most specific first; the sidecar takes whatever is left.</summary>
public static class AssetEmbedders
{
    public static readonly IReadOnlyList<IAssetEmbedder> All =
    [
        new PngEmbedder(),
        new JpegEmbedder(),
        new Mp4Embedder(),
        new SidecarEmbedder(),
    ];

    /// <summary>The embedder for a file, chosen from its bytes (never from its name).</summary>
    public static IAssetEmbedder For(ReadOnlySpan<byte> file)
    {
        foreach (IAssetEmbedder e in All)
            if (e.Recognises(file)) return e;
        throw new InvalidOperationException("the sidecar embedder recognises every file");
    }
}
