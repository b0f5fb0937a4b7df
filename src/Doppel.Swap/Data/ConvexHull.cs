namespace Doppel.Swap.Data;

/// <summary>Andrew's monotone chain: the convex hull of points, counter-clockwise in y-up terms (positive cross products).</summary>
public static class ConvexHull
{
    public static (double X, double Y)[] Of((double X, double Y)[] points)
    {
        var p = points.OrderBy(q => q.X).ThenBy(q => q.Y).ToArray();
        if (p.Length < 3) return p;
        var hull = new (double X, double Y)[2 * p.Length];
        int k = 0;
        for (int i = 0; i < p.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
            hull[k++] = p[i];
        }
        for (int i = p.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
            hull[k++] = p[i];
        }
        return hull[..(k - 1)];
    }

    private static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
        (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
}
