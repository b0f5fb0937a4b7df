using Doppel.Media.Imaging;

namespace Doppel.Swap.Data;

/// <summary>
/// The loss weight map of one face from its 68 landmarks (dlib/iBUG order): 1 inside the hull of
/// all points, 3 on the eyes and 2 on the mouth (models.md), 0 outside, so the loss spends the
/// model's capacity where a viewer looks. Eye and mouth hulls are enlarged about their centres
/// (eyes x1.6, mouth x1.2) because the bare landmark polygons hug the lids and lips and leave out
/// the skin around them that makes an expression. Stored as bytes (weight x <see cref="Scale"/>)
/// so it can be warped with the same affine kernel as the face.
/// </summary>
public static class LandmarkMask
{
    public const float Scale = 64f;
    public const float EyeWeight = 3f, MouthWeight = 2f;

    public static GrayImage Render(ReadOnlySpan<float> landmarks, int size)
    {
        var mask = new GrayImage(size, size);
        var all = Points(landmarks, 0, 68, 1f);
        Fill(mask, ConvexHull.Of(all), 1f);
        Fill(mask, ConvexHull.Of(Points(landmarks, 48, 60, 1.2f)), MouthWeight);
        Fill(mask, ConvexHull.Of(Points(landmarks, 36, 42, 1.6f)), EyeWeight);
        Fill(mask, ConvexHull.Of(Points(landmarks, 42, 48, 1.6f)), EyeWeight);
        return mask;
    }

    private static (double X, double Y)[] Points(ReadOnlySpan<float> landmarks, int from, int to, float grow)
    {
        var pts = new (double X, double Y)[to - from];
        double cx = 0, cy = 0;
        for (int i = from; i < to; i++) { cx += landmarks[2 * i]; cy += landmarks[2 * i + 1]; }
        cx /= pts.Length; cy /= pts.Length;
        for (int i = from; i < to; i++)
            pts[i - from] = (cx + grow * (landmarks[2 * i] - cx), cy + grow * (landmarks[2 * i + 1] - cy));
        return pts;
    }

    /// <summary>Sets every pixel whose centre lies inside the convex polygon (counter-clockwise) to the weight.</summary>
    private static void Fill(GrayImage mask, (double X, double Y)[] hull, float weight)
    {
        if (hull.Length < 3) return;
        byte value = (byte)Math.Min(255f, weight * Scale);
        double minY = hull.Min(p => p.Y), maxY = hull.Max(p => p.Y);
        for (int y = Math.Max(0, (int)Math.Ceiling(minY)); y <= Math.Min(mask.Height - 1, (int)Math.Floor(maxY)); y++)
            for (int x = 0; x < mask.Width; x++)
                if (Inside(hull, x, y)) mask[x, y] = value;
    }

    private static bool Inside((double X, double Y)[] hull, double x, double y)
    {
        for (int i = 0, j = hull.Length - 1; i < hull.Length; j = i++)
        {
            double cross = (hull[i].X - hull[j].X) * (y - hull[j].Y) - (hull[i].Y - hull[j].Y) * (x - hull[j].X);
            if (cross < 0) return false;
        }
        return true;
    }
}
