using System.Numerics;
using Doppel.Faces.Alignment;
using Doppel.Faces.Masks;
using Doppel.Media.Imaging;

namespace Doppel.Datasets.FaceSets;

/// <summary>
/// The loss weight map of one face from its 68 landmarks (dlib/iBUG order): 1 inside the hull of
/// all points, 3 on the eyes and 2 on the mouth (models.md), 0 outside, so the loss spends the
/// model's capacity where a viewer looks. The regions are the extractor's eye and mouth masks
/// (<see cref="LandmarkRegions"/> grown by <see cref="LandmarkMasks.EyeGrowth"/> and
/// <see cref="LandmarkMasks.MouthGrowth"/>, because the bare landmark polygons hug the lids and
/// lips and leave out the skin around them that makes an expression); only the weights are the
/// trainer's. Stored as bytes (weight x <see cref="Scale"/>) so it can be warped with the same
/// affine kernel as the face.
/// </summary>
public static class LandmarkMask
{
    public const float Scale = 64f;
    public const float EyeWeight = 3f, MouthWeight = 2f;

    public static GrayImage Render(ReadOnlySpan<float> landmarks, int size)
    {
        var points = new Vector2[LandmarkRegions.PointCount];
        for (int i = 0; i < points.Length; i++) points[i] = new Vector2(landmarks[2 * i], landmarks[2 * i + 1]);
        var mask = new GrayImage(size, size);
        Fill(mask, ConvexHull.Of(points), 1f);
        Fill(mask, LandmarkMasks.GrownHull(points.AsSpan(LandmarkRegions.OuterMouth), LandmarkMasks.MouthGrowth), MouthWeight);
        Fill(mask, LandmarkMasks.GrownHull(points.AsSpan(LandmarkRegions.RightEye), LandmarkMasks.EyeGrowth), EyeWeight);
        Fill(mask, LandmarkMasks.GrownHull(points.AsSpan(LandmarkRegions.LeftEye), LandmarkMasks.EyeGrowth), EyeWeight);
        return mask;
    }

    private static void Fill(GrayImage mask, Vector2[] hull, float weight) =>
        PolygonFill.Fill(mask, hull, (byte)Math.Min(255f, weight * Scale));
}
