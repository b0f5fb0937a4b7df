using Doppel.Core;

namespace Doppel.Media.Geometry;

/// <summary>
/// A 2x3 affine transform [[A, B, C], [D, E, F]] mapping (x, y) to (A x + B y + C, D x + E y + F),
/// in pixel coordinates where integers are pixel centres (OpenCV's convention, so matrices
/// from faceswap-style alignment carry over unchanged). Doubles, because alignment matrices
/// compose several steps and the errors show up as sub-pixel jitter.
/// </summary>
public readonly record struct AffineMatrix(double A, double B, double C, double D, double E, double F)
{
    public static AffineMatrix Identity => new(1, 0, 0, 0, 1, 0);

    public static AffineMatrix Translation(double tx, double ty) => new(1, 0, tx, 0, 1, ty);

    public static AffineMatrix Scale(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

    /// <summary>A rotation about (<paramref name="cx"/>, <paramref name="cy"/>) in which a positive angle
    /// turns +x towards +y; image y points down, so that is clockwise as displayed.</summary>
    public static AffineMatrix Rotation(double radians, double cx = 0, double cy = 0)
    {
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        // Translate the centre to the origin, rotate, translate back.
        return new AffineMatrix(cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy);
    }

    /// <summary>From six numbers in row-major order, as stored in alignments files.</summary>
    public static AffineMatrix FromRowMajor(ReadOnlySpan<double> values)
    {
        if (values.Length != 6)
            throw new ArgumentException($"an affine matrix has 6 values, got {values.Length}", nameof(values));
        return new AffineMatrix(values[0], values[1], values[2], values[3], values[4], values[5]);
    }

    public double[] ToRowMajor() => [A, B, C, D, E, F];

    public (double X, double Y) Transform(double x, double y) => (A * x + B * y + C, D * x + E * y + F);

    public double Determinant => A * E - B * D;

    /// <summary>The transform that undoes this one; a DoppelException when it collapses the plane.</summary>
    public AffineMatrix Invert()
    {
        double det = Determinant;
        double scale = Math.Max(Math.Max(Math.Abs(A), Math.Abs(B)), Math.Max(Math.Abs(D), Math.Abs(E)));
        if (!double.IsFinite(det) || Math.Abs(det) <= 1e-12 * scale * scale || scale == 0)
            throw new DoppelException($"affine matrix {this} is singular and cannot be inverted",
                "the alignment that produced it is degenerate (e.g. all landmarks on one point)");
        double inv = 1.0 / det;
        double a = E * inv, b = -B * inv, d = -D * inv, e = A * inv;
        return new AffineMatrix(a, b, -(a * C + b * F), d, e, -(d * C + e * F));
    }

    /// <summary>This transform followed by <paramref name="next"/>: <c>next(this(p))</c>.</summary>
    public AffineMatrix Then(AffineMatrix next) => new(
        next.A * A + next.B * D, next.A * B + next.B * E, next.A * C + next.B * F + next.C,
        next.D * A + next.E * D, next.D * B + next.E * E, next.D * C + next.E * F + next.F);

    public override string ToString() => FormattableString.Invariant($"[[{A:G6}, {B:G6}, {C:G6}], [{D:G6}, {E:G6}, {F:G6}]]");
}
