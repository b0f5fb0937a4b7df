using System.Numerics;
using Doppel.Faces.Masks;
using Doppel.Media.Imaging;

namespace Doppel.Datasets.FaceSets;

/// <summary>
/// The loss weight map of one face from its 68 landmarks (dlib/iBUG order): 1 inside the hull of
/// all points, 3 on the eyes and 2 on the mouth (models.md), 0 outside, so the loss spends the
/// model's capacity where a viewer looks. Eye and mouth hulls are enlarged about their centres
/// (eyes x1.6, mouth x1.2) because the bare landmark polygons hug the lids and lips and leave out
/// the skin around them that makes an expression. Stored as bytes (weight x <see cref="Scale"/>)
/// so it can be warped with the same affine kernel as the face. The hulls and their filling are
/// the extractor's (<see cref="ConvexHull"/>, <see cref="PolygonFill"/>); only the weights are the trainer's.
/// </summary>
public static class LandmarkMask
{
    public const float Scale = 64f;
    public const float EyeWeight = 3f, MouthWeight = 2f;

    public static GrayImage Render(ReadOnlySpan<float> landmarks, int size)
    {
        var mask = new GrayImage(size, size);
        Fill(mask, Points(landmarks, 0, 68, 1f), 1f);
        Fill(mask, Points(landmarks, 48, 60, 1.2f), MouthWeight);
        Fill(mask, Points(landmarks, 36, 42, 1.6f), EyeWeight);
        Fill(mask, Points(landmarks, 42, 48, 1.6f), EyeWeight);
        return mask;
    }

    /// <summary>Landmarks <paramref name="from"/>..<paramref name="to"/> (x, y pairs), moved away from their mean by <paramref name="grow"/>.</summary>
    private static Vector2[] Points(ReadOnlySpan<float> landmarks, int from, int to, float grow)
    {
        var pts = new Vector2[to - from];
        double cx = 0, cy = 0;
        for (int i = from; i < to; i++) { cx += landmarks[2 * i]; cy += landmarks[2 * i + 1]; }
        cx /= pts.Length; cy /= pts.Length;
        for (int i = from; i < to; i++)
            pts[i - from] = new Vector2((float)(cx + grow * (landmarks[2 * i] - cx)), (float)(cy + grow * (landmarks[2 * i + 1] - cy)));
        return pts;
    }

    private static void Fill(GrayImage mask, Vector2[] points, float weight) =>
        PolygonFill.Fill(mask, ConvexHull.Of(points), (byte)Math.Min(255f, weight * Scale));
}
