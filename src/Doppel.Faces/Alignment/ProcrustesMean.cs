using System.Numerics;

namespace Doppel.Faces.Alignment;

/// <summary>
/// A weighted generalised Procrustes mean of landmark shapes: the shape that every input,
/// moved by its own best similarity (<see cref="Umeyama"/>), lies closest to on average.
/// Iterates: align every shape onto the current mean using <c>alignOn</c> points, average
/// (weighted), re-normalise the mean's position and size (otherwise the mean could drift or
/// shrink), until it stops moving. Used by tools/mean-face to derive <see cref="MeanFace"/>.
/// </summary>
public static class ProcrustesMean
{
    public static Vector2[] Compute(IReadOnlyList<(Vector2[] Shape, double Weight)> shapes, Range alignOn, int maxIterations = 100)
    {
        if (shapes.Count == 0) throw new ArgumentException("no shapes to average", nameof(shapes));
        int count = shapes[0].Shape.Length;
        if (shapes.Any(s => s.Shape.Length != count)) throw new ArgumentException("shapes differ in point count", nameof(shapes));

        Vector2[] mean = Normalise(shapes[0].Shape, alignOn);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            var sum = new double[count * 2];
            double totalWeight = 0;
            foreach (var (shape, weight) in shapes)
            {
                var m = Umeyama.Estimate(shape.AsSpan(alignOn), mean.AsSpan(alignOn));
                for (int i = 0; i < count; i++)
                {
                    var (x, y) = m.Transform(shape[i].X, shape[i].Y);
                    sum[2 * i] += weight * x;
                    sum[2 * i + 1] += weight * y;
                }
                totalWeight += weight;
            }
            var next = new Vector2[count];
            for (int i = 0; i < count; i++)
                next[i] = new Vector2((float)(sum[2 * i] / totalWeight), (float)(sum[2 * i + 1] / totalWeight));
            next = Normalise(next, alignOn);
            double moved = 0;
            for (int i = 0; i < count; i++) moved = Math.Max(moved, Vector2.Distance(next[i], mean[i]));
            mean = next;
            if (moved < 1e-7) break;
        }
        return mean;
    }

    // Centroid of the alignment points at the origin, their RMS radius 1: a gauge that fixes
    // position and scale without preferring any one input.
    private static Vector2[] Normalise(Vector2[] shape, Range alignOn)
    {
        var subset = shape.AsSpan(alignOn);
        Vector2 centre = Vector2.Zero;
        foreach (var p in subset) centre += p;
        centre /= subset.Length;
        double sq = 0;
        foreach (var p in subset) sq += (p - centre).LengthSquared();
        float scale = (float)(1 / Math.Sqrt(sq / subset.Length));
        return shape.Select(p => (p - centre) * scale).ToArray();
    }
}
