using Doppel.Core;
using Doppel.Media.Imaging;

namespace Doppel.Media.Geometry;

/// <summary>
/// Resizing. Bilinear is an affine warp (scale about pixel centres, edges replicated) and
/// shares its kernel; it is right for enlarging and mild shrinking. Shrinking by more than
/// about 1.5x with bilinear skips source pixels and aliases, so <see cref="Area"/> averages
/// every source pixel an output pixel covers, weighted by the covered fraction (OpenCV's
/// INTER_AREA). <see cref="Resize(RgbImage, int, int)"/> picks between them.
/// </summary>
public static class ImageResize
{
    /// <summary>Area averaging when both axes shrink, bilinear otherwise.</summary>
    public static RgbImage Resize(RgbImage source, int width, int height) =>
        width <= source.Width && height <= source.Height ? Area(source, width, height) : Bilinear(source, width, height);

    public static GrayImage Resize(GrayImage source, int width, int height) =>
        width <= source.Width && height <= source.Height ? Area(source, width, height) : Bilinear(source, width, height);

    public static RgbImage Bilinear(RgbImage source, int width, int height) =>
        AffineWarp.WarpFromOutput(source, OutputToSource(source.Width, source.Height, width, height), width, height, BorderMode.Replicate);

    public static GrayImage Bilinear(GrayImage source, int width, int height) =>
        AffineWarp.WarpFromOutput(source, OutputToSource(source.Width, source.Height, width, height), width, height, BorderMode.Replicate);

    public static RgbImage Area(RgbImage source, int width, int height)
    {
        var output = new RgbImage(Positive(width), Positive(height));
        AreaResampler.Run(PixelBuffer.Of(source), PixelBuffer.Of(output));
        return output;
    }

    public static GrayImage Area(GrayImage source, int width, int height)
    {
        var output = new GrayImage(Positive(width), Positive(height));
        AreaResampler.Run(PixelBuffer.Of(source), PixelBuffer.Of(output));
        return output;
    }

    /// <summary>Output pixel centre x maps to source (x + 0.5) * sw / w - 0.5, so the image edges line up.</summary>
    internal static AffineMatrix OutputToSource(int sw, int sh, int w, int h)
    {
        double sx = (double)sw / Positive(w), sy = (double)sh / Positive(h);
        return new AffineMatrix(sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5);
    }

    private static int Positive(int size) =>
        size > 0 ? size : throw new DoppelException($"resize target size must be positive, got {size}");
}
