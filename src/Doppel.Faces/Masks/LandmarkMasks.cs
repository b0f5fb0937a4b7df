using System.Numerics;
using Doppel.Faces.Alignment;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Masks;

/// <summary>
/// Masks from the 68 landmarks: the whole face (convex hull of all 68 points: jaw, brows and
/// everything between; the forehead above the brows is not included, as in faceswap's
/// "components" mask) and the eye and mouth regions, which training weights more in its loss
/// because that is where a swap is judged. Points are given in whatever frame the mask is
/// wanted in: source pixels for a frame mask, or pass them through <see cref="InCrop"/> for a
/// crop mask. Masks are 0 outside and 255 inside, hard-edged.
/// </summary>
public static class LandmarkMasks
{
    /// <summary>How much the eye and mouth hulls are grown about their centre: the landmarks sit on the
    /// eyelid and lip edges, and the loss should also see the skin just around them.</summary>
    public const float EyeGrowth = 1.6f;
    public const float MouthGrowth = 1.25f;

    /// <summary>The filled convex hull of all 68 landmarks.</summary>
    public static GrayImage Face(ReadOnlySpan<Vector2> landmarks, int width, int height)
    {
        var mask = new GrayImage(width, height);
        PolygonFill.Fill(mask, ConvexHull.Of(landmarks));
        return mask;
    }

    /// <summary>Both eyes (each eye's hull grown by <see cref="EyeGrowth"/>).</summary>
    public static GrayImage Eyes(ReadOnlySpan<Vector2> landmarks, int width, int height)
    {
        var mask = new GrayImage(width, height);
        PolygonFill.Fill(mask, GrownHull(landmarks[LandmarkRegions.RightEye], EyeGrowth));
        PolygonFill.Fill(mask, GrownHull(landmarks[LandmarkRegions.LeftEye], EyeGrowth));
        return mask;
    }

    /// <summary>The mouth (outer lip hull grown by <see cref="MouthGrowth"/>).</summary>
    public static GrayImage Mouth(ReadOnlySpan<Vector2> landmarks, int width, int height)
    {
        var mask = new GrayImage(width, height);
        PolygonFill.Fill(mask, GrownHull(landmarks[LandmarkRegions.OuterMouth], MouthGrowth));
        return mask;
    }

    /// <summary>Source-pixel landmarks moved into crop pixels by an alignment matrix.</summary>
    public static Vector2[] InCrop(ReadOnlySpan<Vector2> sourceLandmarks, AffineMatrix sourceToCrop) =>
        Umeyama.Transform(sourceToCrop, sourceLandmarks);

    /// <summary>The convex hull of <paramref name="points"/>, scaled by <paramref name="factor"/> about its vertices' mean.</summary>
    public static Vector2[] GrownHull(ReadOnlySpan<Vector2> points, float factor)
    {
        Vector2[] hull = ConvexHull.Of(points);
        Vector2 centre = Vector2.Zero;
        foreach (var p in hull) centre += p;
        centre /= Math.Max(1, hull.Length);
        for (int i = 0; i < hull.Length; i++) hull[i] = centre + (hull[i] - centre) * factor;
        return hull;
    }
}
