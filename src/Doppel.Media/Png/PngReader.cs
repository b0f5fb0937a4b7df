using System.Buffers;
using System.IO.Compression;
using Doppel.Core;
using Doppel.Media.Files;
using Doppel.Media.Imaging;

namespace Doppel.Media.Png;

/// <summary>
/// In-process PNG decoding for Doppel's own face crops and masks: no process per file.
/// Reads 8- and 16-bit gray, gray+alpha, RGB and RGBA and 8-bit palette images, non-interlaced,
/// with all five row filters; 16-bit samples are rounded to 8 bits. Output is always RGB
/// (gray is repeated into three channels), with alpha returned separately. Interlaced (Adam7)
/// and 1/2/4-bit files are rejected with a DoppelException: ImageFile.Read handles those
/// (SkiaSharp). Every chunk CRC is verified.
/// </summary>
public static class PngReader
{
    public static RgbImage Read(string path) => Decode(InputFile.ReadAllBytes(path), path).Image;

    public static PngDecoded ReadWithChunks(string path) => Decode(InputFile.ReadAllBytes(path), path);

    public static PngDecoded Decode(ReadOnlySpan<byte> png, string source = "PNG")
    {
        List<PngChunkLocation> chunks = PngChunkLayout.Scan(png, source);
        PngHeader header = PngHeader.Parse(Data(png, chunks[0]), source);
        RejectUnsupported(header, source);

        byte[]? palette = null;
        var ancillary = new List<PngChunk>();
        long compressedLength = 0;
        foreach (PngChunkLocation c in chunks)
        {
            if (c.Type == "PLTE") palette = Data(png, c).ToArray();
            else if (c.Type == "IDAT") compressedLength += c.DataLength;
            else if (c.Type is not ("IHDR" or "IEND"))
            {
                if (char.IsAsciiLetterUpper(c.Type[0]))
                    throw new DoppelException($"{source}: unknown critical PNG chunk {c.Type}", PngErrors.Hint);
                ancillary.Add(new PngChunk(c.Type, Data(png, c).ToArray()));
            }
        }
        if (compressedLength == 0)
            throw new DoppelException($"{source}: PNG has no image data (IDAT)", PngErrors.Hint);
        if (header.ColorType == PngColorType.Palette && (palette is null || palette.Length % 3 != 0 || palette.Length == 0))
            throw new DoppelException($"{source}: palette PNG without a valid PLTE chunk", PngErrors.Hint);

        // The compressed and filtered bytes are scratch: pooled, so decoding many crops does not
        // allocate large-object-heap arrays per file.
        byte[] raw = Inflate(png, chunks, compressedLength, header, source);
        try
        {
            Unfilter(raw, header, source);
            (RgbImage image, GrayImage? alpha) = PngPixelConversion.ToRgb(raw, header, palette, source);
            return new PngDecoded(header, image, alpha, ancillary);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    private static ReadOnlySpan<byte> Data(ReadOnlySpan<byte> png, PngChunkLocation c) => png.Slice(c.DataOffset, c.DataLength);

    private static void RejectUnsupported(PngHeader header, string source)
    {
        if (header.Interlaced)
            throw new DoppelException($"{source}: interlaced (Adam7) PNG is not supported by the in-process reader",
                "read it with ImageFile.Read, which decodes it with SkiaSharp, or save it non-interlaced");
        if (header.BitDepth < 8)
            throw new DoppelException($"{source}: {header.BitDepth}-bit PNG is not supported by the in-process reader",
                "read it with ImageFile.Read, which decodes it with SkiaSharp, or save it as 8-bit");
        if ((long)header.Width * header.Height * 3 > Array.MaxLength)
            throw new DoppelException($"{source}: PNG {header.Width}x{header.Height} is too large");
    }

    /// <summary>Concatenates the IDAT payloads and inflates exactly (1 + rowBytes) * height bytes
    /// into a pooled array (possibly longer than that; the caller returns it to the pool).</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> png, List<PngChunkLocation> chunks, long compressedLength, PngHeader header, string source)
    {
        long expected = (header.RowBytes + 1) * header.Height;
        if (expected > Array.MaxLength || compressedLength > Array.MaxLength)
            throw new DoppelException($"{source}: PNG {header.Width}x{header.Height} is too large");
        byte[] compressed = ArrayPool<byte>.Shared.Rent((int)compressedLength);
        byte[] raw = ArrayPool<byte>.Shared.Rent((int)expected);
        try
        {
            int at = 0;
            foreach (PngChunkLocation c in chunks)
                if (c.Type == "IDAT")
                {
                    Data(png, c).CopyTo(compressed.AsSpan(at));
                    at += c.DataLength;
                }
            using var zlib = new ZLibStream(new MemoryStream(compressed, 0, at, writable: false), CompressionMode.Decompress);
            int read = zlib.ReadAtLeast(raw.AsSpan(0, (int)expected), (int)expected, throwOnEndOfStream: false);
            if (read < expected)
                throw new DoppelException($"{source}: PNG image data is short ({read} of {expected} bytes)", PngErrors.Hint);
            return raw;
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(raw);
            if (e is InvalidDataException)
                throw new DoppelException($"{source}: PNG image data is corrupt ({e.Message})", PngErrors.Hint, e);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>Undoes the row filters in place; each row is preceded by its filter-type byte.</summary>
    private static void Unfilter(byte[] raw, PngHeader header, string source)
    {
        int rowBytes = (int)header.RowBytes;
        int stride = header.FilterStride;
        byte[] zeros = new byte[rowBytes];
        for (int y = 0; y < header.Height; y++)
        {
            int start = y * (rowBytes + 1);
            byte type = raw[start];
            if (type > 4)
                throw new DoppelException($"{source}: invalid PNG filter type {type} on row {y}", PngErrors.Hint);
            ReadOnlySpan<byte> previous = y == 0 ? zeros : raw.AsSpan(start - rowBytes, rowBytes);
            PngFilters.Unfilter((PngFilterType)type, raw.AsSpan(start + 1, rowBytes), previous, stride);
        }
    }
}
