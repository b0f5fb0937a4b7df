using Doppel.Media.Imaging;

namespace Doppel.Faces.Landmarks;

/// <summary>
/// The pixels the landmark predictor samples: 8-bit grayscale (1 channel) or interleaved RGB
/// (3 channels), rows packed without padding. Deliberately minimal so any image type can be
/// wrapped without copying.
/// </summary>
public readonly struct LandmarkImage
{
    public LandmarkImage(int width, int height, int channels, ReadOnlyMemory<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "1 (gray) or 3 (RGB)");
        if (pixels.Length < (long)width * height * channels)
            throw new ArgumentException($"{pixels.Length} bytes is too few for {width}x{height}x{channels}", nameof(pixels));
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public ReadOnlyMemory<byte> Pixels { get; }

    public static LandmarkImage Gray(int width, int height, ReadOnlyMemory<byte> pixels) => new(width, height, 1, pixels);

    public static LandmarkImage Rgb(int width, int height, ReadOnlyMemory<byte> pixels) => new(width, height, 3, pixels);

    /// <summary>Wraps a Doppel.Media frame without copying it.</summary>
    public static LandmarkImage Of(RgbImage image) => Rgb(image.Width, image.Height, image.Data);

    /// <summary>Wraps a Doppel.Media grayscale image without copying it.</summary>
    public static LandmarkImage Of(GrayImage image) => Gray(image.Width, image.Height, image.Data);
}
