using Doppel.Media.Imaging;

namespace Doppel.Media.Files;

/// <summary>
/// Packs a decoder's 4-byte pixels (R, G, B, ignored) into an upright <see cref="RgbImage"/>,
/// applying an <see cref="ImageOrientation"/> on the way, so a sideways phone photo costs no
/// extra pass. Each of the eight orientations maps an output pixel (x, y) to a stored pixel
/// (sx, sy) by an affine map with coefficients in {-1, 0, 1}; in bytes that is
/// <c>offset = origin + x * stepX + y * stepY</c>, one loop for all eight.
/// </summary>
internal static class OrientedCopy
{
    public const int SourceChannels = 4;

    /// <param name="source">Stored pixels, <paramref name="width"/> x <paramref name="height"/>, 4 bytes each, rows unpadded.</param>
    public static RgbImage ToRgb(ReadOnlySpan<byte> source, int width, int height, ImageOrientation orientation)
    {
        if (source.Length < (long)width * height * SourceChannels)
            throw new ArgumentException($"source holds {source.Length} bytes, {width}x{height} needs {(long)width * height * SourceChannels}");
        // Where output (x, y) reads from: sx = ax * x + bx * y + cx, sy = ay * x + by * y + cy.
        (int ax, int bx, int cx, int ay, int by, int cy) = orientation switch
        {
            ImageOrientation.TopLeft => (1, 0, 0, 0, 1, 0),
            ImageOrientation.TopRight => (-1, 0, width - 1, 0, 1, 0),
            ImageOrientation.BottomRight => (-1, 0, width - 1, 0, -1, height - 1),
            ImageOrientation.BottomLeft => (1, 0, 0, 0, -1, height - 1),
            ImageOrientation.LeftTop => (0, 1, 0, 1, 0, 0),
            ImageOrientation.RightTop => (0, 1, 0, -1, 0, height - 1),
            ImageOrientation.RightBottom => (0, -1, width - 1, -1, 0, height - 1),
            ImageOrientation.LeftBottom => (0, -1, width - 1, 1, 0, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(orientation), orientation, "EXIF orientation is 1 to 8"),
        };
        bool turned = orientation >= ImageOrientation.LeftTop;
        var image = turned ? new RgbImage(height, width) : new RgbImage(width, height);
        long stepX = ((long)ay * width + ax) * SourceChannels;
        long stepY = ((long)by * width + bx) * SourceChannels;
        long origin = ((long)cy * width + cx) * SourceChannels;
        byte[] output = image.Data;
        int outWidth = image.Width;
        for (int y = 0; y < image.Height; y++)
        {
            long from = origin + y * stepY;
            int to = y * outWidth * RgbImage.Channels;
            for (int x = 0; x < outWidth; x++, from += stepX, to += RgbImage.Channels)
            {
                output[to] = source[(int)from];
                output[to + 1] = source[(int)from + 1];
                output[to + 2] = source[(int)from + 2];
            }
        }
        return image;
    }
}
