using System.Numerics;

namespace Doppel.Faces.Masks;

/// <summary>
/// The convex hull of a point set (Andrew's monotone chain, O(n log n)); the winding does not
/// matter to <see cref="PolygonFill"/>, which is what the hull is for.
/// Collinear points on the hull are dropped; fewer than three distinct points give what there is.
/// </summary>
public static class ConvexHull
{
    public static Vector2[] Of(ReadOnlySpan<Vector2> points)
    {
        var sorted = points.ToArray();
        Array.Sort(sorted, (p, q) => p.X != q.X ? p.X.CompareTo(q.X) : p.Y.CompareTo(q.Y));
        if (sorted.Length < 3) return sorted.Distinct().ToArray();

        var hull = new Vector2[2 * sorted.Length];
        int k = 0;
        // Lower chain left to right, then upper chain right to left; pop while the turn is not strictly left.
        for (int i = 0; i < sorted.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0) k--;
            hull[k++] = sorted[i];
        }
        for (int i = sorted.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0) k--;
            hull[k++] = sorted[i];
        }
        return hull[..(k - 1)]; // the last point repeats the first
    }

    private static double Cross(Vector2 o, Vector2 a, Vector2 b) =>
        (double)(a.X - o.X) * (b.Y - o.Y) - (double)(a.Y - o.Y) * (b.X - o.X);
}
