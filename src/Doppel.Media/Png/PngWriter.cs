using System.IO.Compression;
using Doppel.Core;
using Doppel.Media.Imaging;

namespace Doppel.Media.Png;

/// <summary>
/// In-process PNG encoding: 8-bit RGB (or gray for masks), non-interlaced, filtered per
/// <see cref="PngWriteOptions.Filter"/> and deflated with <see cref="ZLibStream"/>. Files are
/// written through <see cref="AtomicFile"/>, so an interrupted run never leaves half a PNG.
/// </summary>
public static class PngWriter
{
    // Large images are split into IDAT chunks of this size; any size is valid, this keeps
    // chunk buffers modest for readers that load one chunk at a time.
    private const int MaxIdatLength = 1 << 20;

    public static void Write(string path, RgbImage image, PngWriteOptions? options = null)
    {
        byte[] png = Encode(image, options);
        AtomicFile.WriteAllBytes(path, png);
    }

    public static void Write(string path, GrayImage image, PngWriteOptions? options = null)
    {
        byte[] png = Encode(image, options);
        AtomicFile.WriteAllBytes(path, png);
    }

    public static byte[] Encode(RgbImage image, PngWriteOptions? options = null) =>
        Encode(new PngHeader(image.Width, image.Height, 8, PngColorType.Rgb, false), image.Data, options ?? PngWriteOptions.Default);

    public static byte[] Encode(GrayImage image, PngWriteOptions? options = null) =>
        Encode(new PngHeader(image.Width, image.Height, 8, PngColorType.Gray, false), image.Data, options ?? PngWriteOptions.Default);

    private static byte[] Encode(PngHeader header, byte[] pixels, PngWriteOptions options)
    {
        byte[] compressed = Compress(header, pixels, options);
        using var output = new MemoryStream(compressed.Length + 256);
        PngChunkLayout.WriteSignature(output);
        PngChunkLayout.WriteChunk(output, "IHDR", header.Serialize());
        for (int at = 0; at < compressed.Length || at == 0; at += MaxIdatLength)
            PngChunkLayout.WriteChunk(output, "IDAT", compressed.AsSpan(at, Math.Min(MaxIdatLength, compressed.Length - at)));
        foreach (PngChunk chunk in options.ExtraChunks)
        {
            if (chunk.IsCritical)
                throw new DoppelException($"cannot add critical chunk {chunk.Type} to a PNG", "extra chunks must be ancillary (lowercase first letter)");
            PngChunkLayout.WriteChunk(output, chunk.Type, chunk.Data);
        }
        PngChunkLayout.WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>Filters every row (filter byte + filtered bytes) into one zlib stream.</summary>
    private static byte[] Compress(PngHeader header, byte[] pixels, PngWriteOptions options)
    {
        int rowBytes = (int)header.RowBytes;
        int stride = header.FilterStride;
        var zeros = new byte[rowBytes];
        // One buffer per filter type so the adaptive choice can keep the best without refiltering.
        var candidates = new byte[5][];
        for (int t = 0; t < 5; t++) candidates[t] = new byte[rowBytes + 1];

        using var compressed = new MemoryStream(pixels.Length / 2 + 64);
        using (var zlib = new ZLibStream(compressed, options.Compression, leaveOpen: true))
        {
            for (int y = 0; y < header.Height; y++)
            {
                ReadOnlySpan<byte> row = pixels.AsSpan(y * rowBytes, rowBytes);
                ReadOnlySpan<byte> previous = y == 0 ? zeros : pixels.AsSpan((y - 1) * rowBytes, rowBytes);
                byte[] chosen = options.Filter == PngFilterStrategy.Adaptive
                    ? FilterAdaptive(row, previous, stride, candidates)
                    : FilterFixed(ToFilterType(options.Filter), row, previous, stride, candidates[0]);
                zlib.Write(chosen);
            }
        }
        return compressed.ToArray();
    }

    private static byte[] FilterFixed(PngFilterType type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int stride, byte[] buffer)
    {
        buffer[0] = (byte)type;
        PngFilters.Filter(type, row, previous, stride, buffer.AsSpan(1));
        return buffer;
    }

    private static byte[] FilterAdaptive(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int stride, byte[][] candidates)
    {
        byte[] best = candidates[0];
        int bestCost = int.MaxValue;
        for (int t = 0; t < 5; t++)
        {
            byte[] buffer = FilterFixed((PngFilterType)t, row, previous, stride, candidates[t]);
            int cost = PngFilters.Cost(buffer.AsSpan(1));
            if (cost < bestCost)
            {
                bestCost = cost;
                best = buffer;
            }
        }
        return best;
    }

    private static PngFilterType ToFilterType(PngFilterStrategy strategy) => strategy switch
    {
        PngFilterStrategy.None => PngFilterType.None,
        PngFilterStrategy.Sub => PngFilterType.Sub,
        PngFilterStrategy.Up => PngFilterType.Up,
        PngFilterStrategy.Average => PngFilterType.Average,
        PngFilterStrategy.Paeth => PngFilterType.Paeth,
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };
}
