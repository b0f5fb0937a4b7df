using Doppel.Core;
using Doppel.Media.Imaging;

namespace Doppel.Media.Geometry;

/// <summary>
/// Affine warping with bilinear sampling: crops aligned faces out of frames and pastes swapped
/// faces back. <b>Convention:</b> the matrix passed to <see cref="Warp(RgbImage, AffineMatrix, int, int, BorderMode, byte)"/>
/// maps <i>source</i> pixel coordinates to <i>output</i> coordinates (as OpenCV's warpAffine does
/// by default, and as alignment matrices are stored); the warp inverts it once and then asks,
/// for every output pixel, where it comes from. <see cref="WarpFromOutput(RgbImage, AffineMatrix, int, int, BorderMode, byte)"/>
/// takes that output-to-source matrix directly. Integer coordinates are pixel centres.
///
/// The kernel uses 11-bit fixed-point weights (results within 1 of the exact double
/// computation in <see cref="AffineWarpReference"/>), a fast inner path for points whose four
/// neighbours are inside the source (eight RGB pixels per step with AVX2 gathers, see
/// <see cref="AffineWarpAvx2"/>; one pixel at a time otherwise), a border-mode path for the
/// rest, and splits outputs of 512x512 and more into row bands run in parallel.
/// </summary>
public static class AffineWarp
{
    // Below this many output pixels (512x512) the warp runs on the calling thread: a 256x256 crop
    // takes about a millisecond, less than waking pool threads costs on a busy machine, and callers
    // such as extraction already keep every core busy with frames of their own.
    private const int ParallelThreshold = 256 * 1024;

    public static RgbImage Warp(RgbImage source, AffineMatrix sourceToOutput, int outputWidth, int outputHeight,
        BorderMode border = BorderMode.Constant, byte fill = 0) =>
        WarpFromOutput(source, sourceToOutput.Invert(), outputWidth, outputHeight, border, fill);

    public static GrayImage Warp(GrayImage source, AffineMatrix sourceToOutput, int outputWidth, int outputHeight,
        BorderMode border = BorderMode.Constant, byte fill = 0) =>
        WarpFromOutput(source, sourceToOutput.Invert(), outputWidth, outputHeight, border, fill);

    public static RgbImage WarpFromOutput(RgbImage source, AffineMatrix outputToSource, int outputWidth, int outputHeight,
        BorderMode border = BorderMode.Constant, byte fill = 0)
    {
        var output = new RgbImage(Checked(outputWidth), Checked(outputHeight));
        Run<ThreeChannels>(PixelBuffer.Of(source), outputToSource, PixelBuffer.Of(output), border, fill);
        return output;
    }

    public static GrayImage WarpFromOutput(GrayImage source, AffineMatrix outputToSource, int outputWidth, int outputHeight,
        BorderMode border = BorderMode.Constant, byte fill = 0)
    {
        var output = new GrayImage(Checked(outputWidth), Checked(outputHeight));
        Run<OneChannel>(PixelBuffer.Of(source), outputToSource, PixelBuffer.Of(output), border, fill);
        return output;
    }

    /// <summary>Warps into an existing image (reused buffers in conversion loops).</summary>
    public static void WarpInto(RgbImage source, AffineMatrix sourceToOutput, RgbImage output,
        BorderMode border = BorderMode.Constant, byte fill = 0) =>
        Run<ThreeChannels>(PixelBuffer.Of(source), sourceToOutput.Invert(), PixelBuffer.Of(output), border, fill);

    internal static void Run<TChannels>(PixelBuffer source, AffineMatrix outputToSource, PixelBuffer output, BorderMode border, byte fill)
        where TChannels : struct, IChannelCount
    {
        if (!double.IsFinite(outputToSource.A + outputToSource.B + outputToSource.C + outputToSource.D + outputToSource.E + outputToSource.F))
            throw new DoppelException($"warp matrix {outputToSource} has non-finite values");
        int rows = output.Height;
        if ((long)output.Width * rows < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            AffineWarpKernel<TChannels>.Rows(source, outputToSource, output, 0, rows, border, fill);
            return;
        }
        // A few bands per core so one slow band (more border pixels) does not hold up the rest.
        int bands = Math.Min(rows, Environment.ProcessorCount * 4);
        Parallel.For(0, bands, band =>
        {
            int start = (int)((long)rows * band / bands), end = (int)((long)rows * (band + 1) / bands);
            AffineWarpKernel<TChannels>.Rows(source, outputToSource, output, start, end, border, fill);
        });
    }

    private static int Checked(int size) =>
        size > 0 ? size : throw new DoppelException($"warp output size must be positive, got {size}");
}
