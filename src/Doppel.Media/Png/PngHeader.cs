using System.Buffers.Binary;
using Doppel.Core;

namespace Doppel.Media.Png;

/// <summary>The IHDR chunk: size and pixel format of the image.</summary>
public readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.Gray => 1,
        PngColorType.Rgb => 3,
        PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgba => 4,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Bytes per complete pixel, at least 1: the distance the Sub/Average/Paeth filters look back.</summary>
    public int FilterStride => Math.Max(1, SamplesPerPixel * BitDepth / 8);

    /// <summary>Bytes in one unfiltered scanline (without the filter-type byte).</summary>
    public long RowBytes => ((long)Width * SamplesPerPixel * BitDepth + 7) / 8;

    internal static PngHeader Parse(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length != 13)
            throw new DoppelException($"{source}: IHDR chunk has {data.Length} bytes instead of 13", PngErrors.Hint);
        int width = BinaryPrimitives.ReadInt32BigEndian(data);
        int height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
        byte depth = data[8], color = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width <= 0 || height <= 0)
            throw new DoppelException($"{source}: invalid PNG size {width}x{height}", PngErrors.Hint);
        bool validColor = color is 0 or 2 or 3 or 4 or 6;
        bool validDepth = color switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            _ => depth is 8 or 16,
        };
        if (!validColor || !validDepth || compression != 0 || filter != 0 || interlace > 1)
            throw new DoppelException(
                $"{source}: invalid PNG header (colour type {color}, bit depth {depth}, compression {compression}, filter {filter}, interlace {interlace})",
                PngErrors.Hint);
        return new PngHeader(width, height, depth, (PngColorType)color, interlace == 1);
    }

    internal byte[] Serialize()
    {
        var data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, Width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), Height);
        data[8] = (byte)BitDepth;
        data[9] = (byte)ColorType;
        data[12] = Interlaced ? (byte)1 : (byte)0;
        return data;
    }
}
