using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

/// <summary>Reaches the warp's single-threaded kernel and its scalar reference, to show what parallelism and fixed point each buy.</summary>
internal static class AffineWarpKernelProbe
{
    public static void SingleThread(RgbImage source, AffineMatrix outputToSource, RgbImage output) =>
        AffineWarpKernel<ThreeChannels>.Rows(PixelBuffer.Of(source), outputToSource, PixelBuffer.Of(output), 0, output.Height, BorderMode.Constant, 0);

    public static void Reference(RgbImage source, AffineMatrix outputToSource, RgbImage output) =>
        AffineWarpReference.Warp(PixelBuffer.Of(source), outputToSource, PixelBuffer.Of(output), BorderMode.Constant, 0);
}
