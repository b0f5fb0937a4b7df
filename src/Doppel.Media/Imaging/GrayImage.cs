using Doppel.Core;

namespace Doppel.Media.Imaging;

/// <summary>
/// An 8-bit single-channel image (luma or a mask), row-major with no padding: pixel (x, y)
/// is <c>Data[y * Width + x]</c>.
/// </summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height)
        : this(width, height, new byte[ValidatedLength(width, height)]) { }

    public GrayImage(int width, int height, byte[] data)
    {
        int length = ValidatedLength(width, height);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != length)
            throw new ArgumentException($"expected {length} bytes for {width}x{height} gray, got {data.Length}", nameof(data));
        Width = width;
        Height = height;
        Data = data;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Pixels, (H, W).</summary>
    public byte[] Data { get; }

    public byte this[int x, int y]
    {
        get => Data[y * Width + x];
        set => Data[y * Width + x] = value;
    }

    public Span<byte> Row(int y) => Data.AsSpan(y * Width, Width);

    public GrayImage Clone() => new(Width, Height, (byte[])Data.Clone());

    public override string ToString() => $"GrayImage {Width}x{Height}";

    private static int ValidatedLength(int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new DoppelException($"invalid image size {width}x{height}");
        long length = (long)width * height;
        if (length > Array.MaxLength)
            throw new DoppelException($"image {width}x{height} is too large to hold in memory");
        return (int)length;
    }
}
