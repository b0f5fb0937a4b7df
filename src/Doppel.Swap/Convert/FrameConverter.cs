using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Swap.Convert.Blend;
using Doppel.Swap.Convert.Color;
using Doppel.Swap.Convert.Masks;

namespace Doppel.Swap.Convert;

/// <summary>The timed stages of a conversion, in pipeline order (detection and landmarks are <see cref="Doppel.Faces.Extraction.ExtractStage"/>).</summary>
public enum ConvertStage { Decode, Crop, Model, Blend, Encode }

/// <summary>One face cut out of its frame, ready for the model: the square it was cut along and the model's input.</summary>
public sealed record PreparedFace(Vector2[] Landmarks, AffineMatrix ToDetail, AffineMatrix ToModel, RgbImage Input);

/// <summary>
/// One face of one frame, swapped in place, in three steps so that a batch of faces can share
/// one model pass: <see cref="Prepare"/> cuts the model's square out of the frame along the
/// alignment; <see cref="FaceSwapper.SwapBatch"/> runs encoder + the other decoder;
/// <see cref="Finish"/> matches colours, warps the result and its mask back through the inverse
/// alignment over the face's bounding box only, and blends. Pixels outside that box are never
/// written, so everything far from the face stays bit-identical. With <c>learnedMask</c> the
/// blend mask is the one the model drew (<see cref="LearnedMask"/>), not the landmark hull.
/// Prepare and Finish are thread-safe (different frames in parallel); the swapper is not.
/// </summary>
public sealed class FrameConverter(FaceSwapper swapper, ModelCrop square, HullMask mask, IColorMatcher color, IBlender blender, bool learnedMask = false)
{
    /// <summary>The mask and the input are drawn at twice the model's size (at least 128 px) and
    /// area-averaged down, as training area-resized its crops: a direct bilinear cut would alias.</summary>
    public int DetailSize { get; } = Math.Max(128, 2 * swapper.InputSize);

    public FaceSwapper Swapper => swapper;

    public StageTimes<ConvertStage> Times { get; } = new();

    /// <summary>Prepare, model and finish for a single face (stills, tests).</summary>
    public void Swap(RgbImage frame, ReadOnlySpan<Vector2> landmarks, AffineMatrix sourceToCrop)
    {
        PreparedFace face = Prepare(frame, landmarks, sourceToCrop);
        long t0 = StageTimes<ConvertStage>.Now;
        SwappedFace swapped = swapper.SwapBatch([face.Input])[0];
        Times.AddSince(ConvertStage.Model, t0);
        Finish(frame, face, swapped);
    }

    public PreparedFace Prepare(RgbImage frame, ReadOnlySpan<Vector2> landmarks, AffineMatrix sourceToCrop)
    {
        long t0 = StageTimes<ConvertStage>.Now;
        int s = swapper.InputSize, r = DetailSize;
        AffineMatrix toDetail = square.SourceToSquare(sourceToCrop, r);
        AffineMatrix toModel = square.SourceToSquare(sourceToCrop, s);
        RgbImage input = ImageResize.Area(AffineWarp.Warp(frame, toDetail, r, r, BorderMode.Replicate), s, s);
        Times.AddSince(ConvertStage.Crop, t0);
        return new PreparedFace(landmarks.ToArray(), toDetail, toModel, input);
    }

    public void Finish(RgbImage frame, PreparedFace face, SwappedFace swapped)
    {
        long t0 = StageTimes<ConvertStage>.Now;
        int s = swapper.InputSize, r = DetailSize;
        GrayImage detailMask = learnedMask
            ? LearnedMask.Render(swapped.Mask ?? throw new InvalidOperationException("the model has no mask branch"), r, mask)
            : mask.Render(Umeyama.Transform(face.ToDetail, face.Landmarks), r);
        color.Match(swapped.Face, face.Input, ImageResize.Area(detailMask, s, s));

        if (Box(face.ToModel, s, frame.Width, frame.Height) is { } box)
        {
            // Box pixel -> frame pixel is a translation; then frame -> square. WarpFromOutput takes output -> source.
            var boxToFrame = AffineMatrix.Translation(box.X, box.Y);
            var warped = AffineWarp.WarpFromOutput(swapped.Face, boxToFrame.Then(face.ToModel), box.W, box.H, BorderMode.Replicate);
            var alpha = AffineWarp.WarpFromOutput(detailMask, boxToFrame.Then(face.ToDetail), box.W, box.H, BorderMode.Constant, 0);
            blender.Blend(frame, new FacePatch(box.X, box.Y, warped, alpha));
        }
        Times.AddSince(ConvertStage.Blend, t0);
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
