using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Gan.Sampling;

/// <summary>
/// An 8-bit image a GAN drew: grey for one channel (MNIST), RGB for three (faces); written as PNG.
/// </summary>
public sealed class GanImage
{
    private GanImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }

    /// <summary>Row-major, interleaved channels.</summary>
    public byte[] Pixels { get; }

    public static GanImage Blank(int width, int height, int channels, byte fill)
    {
        var pixels = new byte[width * height * channels];
        Array.Fill(pixels, fill);
        return new GanImage(width, height, channels, pixels);
    }

    /// <summary>From (H, W, C) values in [0, 1], rounded to 8 bits.</summary>
    public static GanImage FromUnit(ReadOnlySpan<float> values, int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)Math.Clamp(MathF.Round(values[i] * 255f), 0f, 255f);
        return new GanImage(width, height, channels, pixels);
    }

    /// <summary>Copies <paramref name="tile"/> with its top-left corner at (x, y).</summary>
    public void Paste(GanImage tile, int x, int y)
    {
        int row = tile.Width * Channels;
        for (int r = 0; r < tile.Height; r++)
            tile.Pixels.AsSpan(r * row, row).CopyTo(Pixels.AsSpan(((y + r) * Width + x) * Channels, row));
    }

    /// <summary>Writes a PNG (the writer is atomic).</summary>
    public void WritePng(string path)
    {
        if (Channels == 1) PngWriter.Write(path, new GrayImage(Width, Height, Pixels));
        else PngWriter.Write(path, new RgbImage(Width, Height, Pixels));
    }
}
