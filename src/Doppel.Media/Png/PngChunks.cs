using Doppel.Core;
using Doppel.Media.Files;

namespace Doppel.Media.Png;

/// <summary>
/// Reads and edits the chunks of an existing PNG without touching its pixels: what C2PA needs
/// to embed (<c>caBX</c>) or strip a manifest. All methods check every CRC first.
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

    /// <summary>A copy of <paramref name="png"/> with <paramref name="chunk"/> added at <paramref name="placement"/>.</summary>
    public static byte[] Insert(ReadOnlySpan<byte> png, PngChunk chunk, PngChunkPlacement placement = PngChunkPlacement.BeforeEnd)
    {
        if (chunk.Type is "IHDR" or "IEND" or "IDAT" or "PLTE")
            throw new DoppelException($"cannot insert a {chunk.Type} chunk", "only ancillary chunks can be added to an existing PNG");
        List<PngChunkLocation> chunks = PngChunkLayout.Scan(png, "PNG");
        int at = placement == PngChunkPlacement.AfterHeader ? chunks[0].End : chunks[^1].Start;
        using var output = new MemoryStream(png.Length + chunk.EncodedLength);
        output.Write(png[..at]);
        PngChunkLayout.WriteChunk(output, chunk.Type, chunk.Data);
        output.Write(png[at..chunks[^1].End]);
        return output.ToArray();
    }

    /// <summary>A copy of <paramref name="png"/> without any chunk of <paramref name="type"/>.</summary>
    public static byte[] Remove(ReadOnlySpan<byte> png, string type)
    {
        if (type is "IHDR" or "IEND" or "IDAT")
            throw new DoppelException($"cannot remove the {type} chunk", "only ancillary chunks can be removed");
        List<PngChunkLocation> chunks = PngChunkLayout.Scan(png, "PNG");
        using var output = new MemoryStream(png.Length);
        output.Write(png[..8]);
        foreach (PngChunkLocation c in chunks)
            if (c.Type != type)
                output.Write(png[c.Start..c.End]);
        return output.ToArray();
    }
}
