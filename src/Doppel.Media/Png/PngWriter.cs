using System.Buffers.Binary;
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
    // Encoding reuses one growable buffer per thread, so writing thousands of crops does not
    // allocate a large-object-heap array (and provoke a gen-2 collection) per file.
    // A buffer grown past this by an unusually big image is dropped after use.
    private const int MaxRetainedBuffer = 8 << 20;

    [ThreadStatic]
    private static MemoryStream? t_buffer;

    public static void Write(string path, RgbImage image, PngWriteOptions? options = null) =>
        WriteFile(path, new PngHeader(image.Width, image.Height, 8, PngColorType.Rgb, false), image.Data, options);

    public static void Write(string path, GrayImage image, PngWriteOptions? options = null) =>
        WriteFile(path, new PngHeader(image.Width, image.Height, 8, PngColorType.Gray, false), image.Data, options);

    public static byte[] Encode(RgbImage image, PngWriteOptions? options = null) =>
        EncodeToArray(new PngHeader(image.Width, image.Height, 8, PngColorType.Rgb, false), image.Data, options);

    public static byte[] Encode(GrayImage image, PngWriteOptions? options = null) =>
        EncodeToArray(new PngHeader(image.Width, image.Height, 8, PngColorType.Gray, false), image.Data, options);

    private static void WriteFile(string path, PngHeader header, byte[] pixels, PngWriteOptions? options)
    {
        options ??= PngWriteOptions.Default;
        MemoryStream buffer = EncodeIntoBuffer(header, pixels, options);
        try
        {
            AtomicFile.Write(path, stream => stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length), options.Durable);
        }
        finally
        {
            Release(buffer);
        }
    }

    private static byte[] EncodeToArray(PngHeader header, byte[] pixels, PngWriteOptions? options)
    {
        MemoryStream buffer = EncodeIntoBuffer(header, pixels, options ?? PngWriteOptions.Default);
        byte[] result = buffer.ToArray();
        Release(buffer);
        return result;
    }

    /// <summary>
    /// Signature, IHDR, one IDAT deflated straight into the output buffer (its length and CRC are
    /// patched in afterwards), the extra chunks, IEND.
    /// </summary>
    private static MemoryStream EncodeIntoBuffer(PngHeader header, byte[] pixels, PngWriteOptions options)
    {
        foreach (PngChunk chunk in options.ExtraChunks)
            if (chunk.IsCritical)
                throw new DoppelException($"cannot add critical chunk {chunk.Type} to a PNG", "extra chunks must be ancillary (lowercase first letter)");
        MemoryStream output = t_buffer ?? new MemoryStream(pixels.Length / 2 + 1024);
        t_buffer = null; // taken; a nested call on this thread gets its own
        output.SetLength(0);
        PngChunkLayout.WriteSignature(output);
        PngChunkLayout.WriteChunk(output, "IHDR", header.Serialize());

        int idatStart = (int)output.Position;
        output.Write([0, 0, 0, 0, (byte)'I', (byte)'D', (byte)'A', (byte)'T']);
        using (var zlib = new ZLibStream(output, options.Compression, leaveOpen: true))
            WriteFilteredRows(zlib, header, pixels, options.Filter);
        int dataLength = (int)output.Position - idatStart - 8;
        Span<byte> bytes = output.GetBuffer().AsSpan(0, (int)output.Length);
        BinaryPrimitives.WriteInt32BigEndian(bytes[idatStart..], dataLength);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(bytes.Slice(idatStart + 4, 4 + dataLength)));
        output.Write(crc);

        foreach (PngChunk chunk in options.ExtraChunks)
            PngChunkLayout.WriteChunk(output, chunk.Type, chunk.Data);
        PngChunkLayout.WriteChunk(output, "IEND", []);
        return output;
    }

    private static void Release(MemoryStream buffer)
    {
        if (buffer.Capacity <= MaxRetainedBuffer) t_buffer = buffer;
    }

    /// <summary>Each row as its filter-type byte followed by the filtered bytes.</summary>
    private static void WriteFilteredRows(Stream zlib, PngHeader header, byte[] pixels, PngFilterStrategy strategy)
    {
        int rowBytes = (int)header.RowBytes;
        int stride = header.FilterStride;
        var zeros = new byte[rowBytes];
        // One buffer per filter type so the adaptive choice can keep the best without refiltering.
        var candidates = new byte[5][];
        for (int t = 0; t < 5; t++) candidates[t] = new byte[rowBytes + 1];
        for (int y = 0; y < header.Height; y++)
        {
            ReadOnlySpan<byte> row = pixels.AsSpan(y * rowBytes, rowBytes);
            ReadOnlySpan<byte> previous = y == 0 ? zeros : pixels.AsSpan((y - 1) * rowBytes, rowBytes);
            byte[] chosen = strategy == PngFilterStrategy.Adaptive
                ? FilterAdaptive(row, previous, stride, candidates)
                : FilterFixed(ToFilterType(strategy), row, previous, stride, candidates[0]);
            zlib.Write(chosen);
        }
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
