using System.Numerics;
using Doppel.Faces.Alignment;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Swap.Convert.Blend;
using Doppel.Swap.Convert.Color;
using Doppel.Swap.Convert.Masks;

namespace Doppel.Swap.Convert;

/// <summary>
/// One face of one frame, swapped in place: cut the model's square out of the frame along the
/// alignment, run encoder + the other decoder, match colours, warp the result and its mask back
/// through the inverse alignment over the face's bounding box only, and blend. Pixels outside that
/// box are never written, so everything far from the face stays bit-identical. With
/// <c>learnedMask</c> the blend mask is the one the model drew (<see cref="LearnedMask"/>), not the landmark hull.
/// </summary>
public sealed class FrameConverter(FaceSwapper swapper, ModelCrop square, HullMask mask, IColorMatcher color, IBlender blender, bool learnedMask = false)
{
    /// <summary>The mask and the input are drawn at twice the model's size (at least 128 px) and
    /// area-averaged down, as training area-resized its crops: a direct bilinear cut would alias.</summary>
    public int DetailSize { get; } = Math.Max(128, 2 * swapper.InputSize);

    public StageTimes Times { get; } = new();

    public void Swap(RgbImage frame, ReadOnlySpan<Vector2> landmarks, AffineMatrix sourceToCrop)
    {
        int s = swapper.InputSize, r = DetailSize;
        AffineMatrix toDetail = square.SourceToSquare(sourceToCrop, r);
        AffineMatrix toModel = square.SourceToSquare(sourceToCrop, s);

        long t0 = StageTimes.Now;
        RgbImage original = ImageResize.Area(AffineWarp.Warp(frame, toDetail, r, r, BorderMode.Replicate), s, s);
        long t1 = StageTimes.Now;
        var (swapped, drawn) = learnedMask ? swapper.SwapWithMask(original) : (swapper.Swap(original), null);
        long t2 = StageTimes.Now;

        GrayImage detailMask = learnedMask
            ? LearnedMask.Render(drawn ?? throw new InvalidOperationException("the model has no mask branch"), r, mask)
            : mask.Render(Umeyama.Transform(toDetail, landmarks), r);
        color.Match(swapped, original, ImageResize.Area(detailMask, s, s));

        if (Box(toModel, s, frame.Width, frame.Height) is { } box)
        {
            // Box pixel -> frame pixel is a translation; then frame -> square. WarpFromOutput takes output -> source.
            var boxToFrame = AffineMatrix.Translation(box.X, box.Y);
            var face = AffineWarp.WarpFromOutput(swapped, boxToFrame.Then(toModel), box.W, box.H, BorderMode.Replicate);
            var alpha = AffineWarp.WarpFromOutput(detailMask, boxToFrame.Then(toDetail), box.W, box.H, BorderMode.Constant, 0);
            blender.Blend(frame, new FacePatch(box.X, box.Y, face, alpha));
        }
        long t3 = StageTimes.Now;
        Times.Add(t1 - t0, t2 - t1, t3 - t2);
    }

    /// <summary>The frame pixels the model's square covers (its four corners through the inverse), clipped to the frame; null when off-frame.</summary>
    public static (int X, int Y, int W, int H)? Box(AffineMatrix sourceToSquare, int size, int width, int height)
    {
        var inverse = sourceToSquare.Invert();
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (u, v) in new[] { (-0.5, -0.5), (size - 0.5, -0.5), (-0.5, size - 0.5), (size - 0.5, size - 0.5) })
        {
            var (x, y) = inverse.Transform(u, v);
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        int x0 = Math.Max(0, (int)Math.Floor(minX)), y0 = Math.Max(0, (int)Math.Floor(minY));
        int x1 = Math.Min(width - 1, (int)Math.Ceiling(maxX)), y1 = Math.Min(height - 1, (int)Math.Ceiling(maxY));
        return x1 < x0 || y1 < y0 ? null : (x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
}

/// <summary>Time spent per stage of <see cref="FrameConverter.Swap"/>, summed over faces (for progress and the benchmark).</summary>
public sealed class StageTimes
{
    public static long Now => System.Diagnostics.Stopwatch.GetTimestamp();

    public TimeSpan Crop { get; private set; }
    public TimeSpan Model { get; private set; }
    public TimeSpan Blend { get; private set; }

    public void Add(long crop, long model, long blend)
    {
        Crop += System.Diagnostics.Stopwatch.GetElapsedTime(0, crop);
        Model += System.Diagnostics.Stopwatch.GetElapsedTime(0, model);
        Blend += System.Diagnostics.Stopwatch.GetElapsedTime(0, blend);
    }
}
