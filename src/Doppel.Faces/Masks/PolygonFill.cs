using System.Numerics;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Masks;

/// <summary>
/// Fills a simple polygon into a <see cref="GrayImage"/> with 255, by scanlines through pixel
/// centres (pixel (x, y) is inside when its centre is; integers are pixel centres, as in
/// alignment matrices). Even-odd rule, which for the convex hulls used here is just "inside".
/// Hard edges: callers blur when they want a soft mask.
/// </summary>
public static class PolygonFill
{
    public static void Fill(GrayImage image, ReadOnlySpan<Vector2> polygon, byte value = 255)
    {
        if (polygon.Length < 3) return;
        float minY = float.MaxValue, maxY = float.MinValue;
        foreach (var p in polygon) { minY = Math.Min(minY, p.Y); maxY = Math.Max(maxY, p.Y); }
        int y0 = Math.Max(0, (int)Math.Ceiling(minY)), y1 = Math.Min(image.Height - 1, (int)Math.Floor(maxY));
        var crossings = new List<double>(8);
        for (int y = y0; y <= y1; y++)
        {
            crossings.Clear();
            for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
            {
                Vector2 a = polygon[j], b = polygon[i];
                // Half-open in y so a vertex shared by two edges is counted once.
                if ((a.Y <= y) == (b.Y <= y)) continue;
                crossings.Add(a.X + (y - (double)a.Y) * (b.X - a.X) / (b.Y - (double)a.Y));
            }
            crossings.Sort();
            Span<byte> row = image.Row(y);
            for (int c = 0; c + 1 < crossings.Count; c += 2)
            {
                int x0 = Math.Max(0, (int)Math.Ceiling(crossings[c]));
                int x1 = Math.Min(image.Width - 1, (int)Math.Floor(crossings[c + 1]));
                if (x1 >= x0) row[x0..(x1 + 1)].Fill(value);
            }
        }
    }
}
