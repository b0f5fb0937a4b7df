using System.Numerics;
using Doppel.Core;
using Doppel.Media.Geometry;

namespace Doppel.Faces.Alignment;

/// <summary>
/// The least-squares similarity transform (rotation, uniform scale, translation; no shear, no
/// reflection) taking one point set onto another: Umeyama (1991), "Least-squares estimation of
/// transformation parameters between two point patterns", restricted to 2D.
///
/// In 2D Umeyama's SVD solution has a closed form. Centre both sets; write the similarity's
/// linear part as [[a, -b], [b, a]] (a = s cos t, b = s sin t). Minimising
/// sum |d_i - M s_i|^2 over a and b is linear least squares with the solution
/// a = sum(s.d) / sum|s|^2 and b = sum(s x d) / sum|s|^2 (dot and 2D cross products of the
/// centred points), which is exactly Umeyama's c R with the determinant correction that
/// forbids reflections. No SVD, no iteration, and it is exact on exact data.
/// Doubles throughout: alignment matrices are composed and stored, and float error here shows
/// up as crop jitter.
/// </summary>
public static class Umeyama
{
    /// <summary>The similarity mapping <paramref name="from"/> onto <paramref name="to"/> (same length, at least 2 points).</summary>
    /// <exception cref="DoppelException">When the source points all coincide (no scale or rotation can be recovered).</exception>
    public static AffineMatrix Estimate(ReadOnlySpan<Vector2> from, ReadOnlySpan<Vector2> to)
    {
        if (from.Length != to.Length)
            throw new ArgumentException($"point sets differ in length: {from.Length} and {to.Length}", nameof(to));
        if (from.Length < 2)
            throw new ArgumentException("a similarity needs at least two point pairs", nameof(from));

        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (int i = 0; i < from.Length; i++)
        {
            fx += from[i].X; fy += from[i].Y;
            tx += to[i].X; ty += to[i].Y;
        }
        int n = from.Length;
        fx /= n; fy /= n; tx /= n; ty /= n;

        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double sx = from[i].X - fx, sy = from[i].Y - fy;
            double dx = to[i].X - tx, dy = to[i].Y - ty;
            dot += sx * dx + sy * dy;
            cross += sx * dy - sy * dx;
            norm += sx * sx + sy * sy;
        }
        if (!(norm > 1e-12))
            throw new DoppelException("cannot align: the landmarks all sit on one point",
                "the landmark predictor returned a degenerate shape; check the face box");

        double a = dot / norm, b = cross / norm;
        // x' = a x - b y + c, y' = b x + a y + f, with the centroids mapped onto each other.
        return new AffineMatrix(a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy));
    }

    /// <summary>The uniform scale of a similarity (sqrt of its determinant).</summary>
    public static double ScaleOf(AffineMatrix similarity) => Math.Sqrt(Math.Abs(similarity.Determinant));

    /// <summary>Applies <paramref name="matrix"/> to every point.</summary>
    public static Vector2[] Transform(AffineMatrix matrix, ReadOnlySpan<Vector2> points)
    {
        var result = new Vector2[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            var (x, y) = matrix.Transform(points[i].X, points[i].Y);
            result[i] = new Vector2((float)x, (float)y);
        }
        return result;
    }
}
