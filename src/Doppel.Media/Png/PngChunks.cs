using Doppel.Media.Files;

namespace Doppel.Media.Png;

/// <summary>
/// Lists the chunks of an existing PNG without decoding its pixels, checking every CRC. Editing
/// chunks of an existing file (C2PA's <c>caBX</c>) is the embedder's, in Doppel.Provenance.
/// </summary>
public static class PngChunks
{
    /// <summary>Every chunk from IHDR to IEND, in file order.</summary>
    public static IReadOnlyList<PngChunk> ReadAll(ReadOnlySpan<byte> png, string source = "PNG")
    {
        var result = new List<PngChunk>();
        foreach (PngChunkLocation c in PngChunkLayout.Scan(png, source))
            result.Add(new PngChunk(c.Type, png.Slice(c.DataOffset, c.DataLength).ToArray()));
        return result;
    }

    public static IReadOnlyList<PngChunk> ReadAll(string path) => ReadAll(InputFile.ReadAllBytes(path), path);

    /// <summary>The chunks of one type (e.g. "caBX"), in file order; empty when there are none.</summary>
    public static IReadOnlyList<PngChunk> Find(ReadOnlySpan<byte> png, string type) =>
        ReadAll(png).Where(c => c.Type == type).ToList();
}
