using Doppel.Core;

namespace Doppel.Media.Imaging;

/// <summary>
/// An 8-bit RGB frame stored row by row, pixel by pixel, channel by channel (HWC, R first),
/// with no row padding: pixel (x, y) starts at <c>(y * Width + x) * 3</c>. This is the layout
/// ffmpeg's rgb24 produces and PNG stores, so frames move between them without reshuffling.
/// </summary>
public sealed class RgbImage
{
    public const int Channels = 3;

    public RgbImage(int width, int height)
        : this(width, height, new byte[checked(ValidatedLength(width, height))]) { }

    /// <summary>Wraps <paramref name="data"/> without copying; its length must be exactly width*height*3.</summary>
    public RgbImage(int width, int height, byte[] data)
    {
        int length = ValidatedLength(width, height);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != length)
            throw new ArgumentException($"expected {length} bytes for {width}x{height} RGB, got {data.Length}", nameof(data));
        Width = width;
        Height = height;
        Data = data;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Interleaved pixels, (H, W, 3).</summary>
    public byte[] Data { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Channels;

    public Span<byte> Row(int y) => Data.AsSpan(y * Stride, Stride);

    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        int i = (y * Width + x) * Channels;
        return (Data[i], Data[i + 1], Data[i + 2]);
    }

    public void SetPixel(int x, int y, byte r, byte g, byte b)
    {
        int i = (y * Width + x) * Channels;
        Data[i] = r;
        Data[i + 1] = g;
        Data[i + 2] = b;
    }

    public RgbImage Clone() => new(Width, Height, (byte[])Data.Clone());

    /// <summary>A copy of the rectangle [x, x+w) x [y, y+h), which must lie inside the image.</summary>
    public RgbImage Crop(int x, int y, int w, int h)
    {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > Width || y + h > Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"crop {x},{y} {w}x{h} is outside {Width}x{Height}");
        var result = new RgbImage(w, h);
        for (int row = 0; row < h; row++)
            Data.AsSpan(((y + row) * Width + x) * Channels, w * Channels).CopyTo(result.Row(row));
        return result;
    }

    public bool SameSize(RgbImage other) => Width == other.Width && Height == other.Height;

    public override string ToString() => $"RgbImage {Width}x{Height}";

    private static int ValidatedLength(int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new DoppelException($"invalid image size {width}x{height}");
        long length = (long)width * height * Channels;
        if (length > Array.MaxLength)
            throw new DoppelException($"image {width}x{height} is too large to hold in memory");
        return (int)length;
    }
}
