namespace Doppel.Media.Geometry;

/// <summary>
/// The plain definition of bilinear affine warping, in doubles, one pixel at a time. It is the
/// yardstick for <see cref="AffineWarp"/>'s fixed-point kernel (which may differ by at most 1
/// per channel from rounding its weights) and is used only by tests.
/// </summary>
internal static class AffineWarpReference
{
    public static void Warp(PixelBuffer source, AffineMatrix outputToSource, PixelBuffer output, BorderMode border, byte fill)
    {
        int ch = source.Channels;
        for (int y = 0; y < output.Height; y++)
            for (int x = 0; x < output.Width; x++)
            {
                (double sx, double sy) = outputToSource.Transform(x, y);
                for (int c = 0; c < ch; c++)
                    output.Data[(y * output.Width + x) * ch + c] = Sample(source, sx, sy, c, border, fill);
            }
    }

    private static byte Sample(PixelBuffer source, double sx, double sy, int c, BorderMode border, byte fill)
    {
        if (!WarpCoordinates.InRange(sx, sy)) return border == BorderMode.Constant ? fill : Nearest(source, sx, sy, c, border, fill);
        int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
        double fx = sx - x0, fy = sy - y0;
        double v = (1 - fx) * (1 - fy) * Pixel(source, x0, y0, c, border, fill)
                 + fx * (1 - fy) * Pixel(source, x0 + 1, y0, c, border, fill)
                 + (1 - fx) * fy * Pixel(source, x0, y0 + 1, c, border, fill)
                 + fx * fy * Pixel(source, x0 + 1, y0 + 1, c, border, fill);
        return (byte)Math.Clamp(Math.Floor(v + 0.5), 0, 255);
    }

    // Far-away or non-finite coordinates: the kernel clamps them into range first, so do the same.
    private static byte Nearest(PixelBuffer source, double sx, double sy, int c, BorderMode border, byte fill)
    {
        (int x, int y) = WarpCoordinates.ClampFar(sx, sy);
        return Pixel(source, x, y, c, border, fill);
    }

    private static byte Pixel(PixelBuffer source, int x, int y, int c, BorderMode border, byte fill)
    {
        int xi = BorderIndex.Resolve(x, source.Width, border);
        int yi = BorderIndex.Resolve(y, source.Height, border);
        if (xi < 0 || yi < 0) return fill;
        return source.Data[(yi * source.Width + xi) * source.Channels + c];
    }
}
