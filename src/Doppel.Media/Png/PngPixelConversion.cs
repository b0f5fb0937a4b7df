using Doppel.Core;
using Doppel.Media.Imaging;

namespace Doppel.Media.Png;

/// <summary>
/// Turns unfiltered scanlines (each still preceded by its filter byte) of any supported colour
/// type into interleaved RGB plus optional alpha. 16-bit samples (big-endian) are first reduced
/// to 8 bits with rounding, so every sample then has one byte and one code path converts it.
/// </summary>
internal static class PngPixelConversion
{
    public static (RgbImage Image, GrayImage? Alpha) ToRgb(byte[] raw, PngHeader header, byte[]? palette, string source)
    {
        int width = header.Width, height = header.Height;
        int rowBytes = (int)header.RowBytes;
        int bytesPerSample = header.BitDepth / 8;
        var image = new RgbImage(width, height);
        bool hasAlpha = header.ColorType is PngColorType.GrayAlpha or PngColorType.Rgba;
        GrayImage? alpha = hasAlpha ? new GrayImage(width, height) : null;
        byte[] rgb = image.Data;
        if (bytesPerSample == 2)
        {
            raw = ReduceTo8Bit(raw, rowBytes, height);
            rowBytes /= 2;
            bytesPerSample = 1;
        }

        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes);
            Span<byte> dst = rgb.AsSpan(y * width * 3, width * 3);
            switch (header.ColorType)
            {
                case PngColorType.Rgb when bytesPerSample == 1:
                    row.CopyTo(dst);
                    break;
                case PngColorType.Rgb:
                    for (int x = 0; x < width; x++)
                    {
                        dst[3 * x] = row[6 * x];
                        dst[3 * x + 1] = row[6 * x + 2];
                        dst[3 * x + 2] = row[6 * x + 4];
                    }
                    break;
                case PngColorType.Rgba:
                    {
                        int step = 4 * bytesPerSample;
                        Span<byte> a = alpha!.Row(y);
                        for (int x = 0; x < width; x++)
                        {
                            int s = x * step;
                            dst[3 * x] = row[s];
                            dst[3 * x + 1] = row[s + bytesPerSample];
                            dst[3 * x + 2] = row[s + 2 * bytesPerSample];
                            a[x] = row[s + 3 * bytesPerSample];
                        }
                        break;
                    }
                case PngColorType.Gray:
                    for (int x = 0; x < width; x++)
                        dst[3 * x] = dst[3 * x + 1] = dst[3 * x + 2] = row[x * bytesPerSample];
                    break;
                case PngColorType.GrayAlpha:
                    {
                        int step = 2 * bytesPerSample;
                        Span<byte> a = alpha!.Row(y);
                        for (int x = 0; x < width; x++)
                        {
                            dst[3 * x] = dst[3 * x + 1] = dst[3 * x + 2] = row[x * step];
                            a[x] = row[x * step + bytesPerSample];
                        }
                        break;
                    }
                case PngColorType.Palette:
                    {
                        int entries = palette!.Length / 3;
                        for (int x = 0; x < width; x++)
                        {
                            int index = row[x];
                            if (index >= entries)
                                throw new DoppelException($"{source}: palette index {index} on row {y} exceeds the {entries}-entry palette", PngErrors.Hint);
                            dst[3 * x] = palette[3 * index];
                            dst[3 * x + 1] = palette[3 * index + 1];
                            dst[3 * x + 2] = palette[3 * index + 2];
                        }
                        break;
                    }
            }
        }
        return (image, alpha);
    }

    /// <summary>Rows of 16-bit samples to rows of 8-bit ones, round(v * 255 / 65535), keeping the filter-byte slot.</summary>
    private static byte[] ReduceTo8Bit(byte[] raw, int rowBytes, int height)
    {
        int outRow = rowBytes / 2;
        var result = new byte[(long)(outRow + 1) * height];
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> src = raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes);
            Span<byte> dst = result.AsSpan(y * (outRow + 1) + 1, outRow);
            for (int i = 0; i < outRow; i++)
                dst[i] = (byte)(((src[2 * i] << 8 | src[2 * i + 1]) * 255 + 32767) / 65535);
        }
        return result;
    }
}
