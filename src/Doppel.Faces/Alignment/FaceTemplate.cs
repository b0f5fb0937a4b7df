using System.Numerics;

namespace Doppel.Faces.Alignment;

/// <summary>
/// A named mean-face shape of 68 points in the unit square: the 68 points' bounding box is
/// scaled uniformly so its longer side is 1 and centred in [0, 1] x [0, 1]. Alignment maps a
/// face's landmarks onto these points (see <see cref="CropGeometry"/> for where the unit square
/// lands in a crop). The name is written into alignments.json so crops made with different
/// templates are never mixed unknowingly.
/// </summary>
public sealed class FaceTemplate
{
    private readonly Vector2[] _points;

    public FaceTemplate(string name, IReadOnlyList<Vector2> points)
    {
        if (points.Count != LandmarkRegions.PointCount)
            throw new ArgumentException($"a template has {LandmarkRegions.PointCount} points, got {points.Count}", nameof(points));
        Name = name;
        _points = points.ToArray();
    }

    public string Name { get; }

    /// <summary>The 68 points in unit-square coordinates.</summary>
    public ReadOnlySpan<Vector2> Points => _points;

    /// <summary>
    /// Rotates a shape about its centroid so the eye centres are level, right eye (subject's) on
    /// the left. A Procrustes mean is only defined up to a rotation (it inherits the tilt of
    /// whichever shape it started from), so the template fixes it by this convention.
    /// </summary>
    public static Vector2[] Upright(IReadOnlyList<Vector2> shape)
    {
        Vector2 Centre(Range r)
        {
            var (offset, length) = r.GetOffsetAndLength(shape.Count);
            Vector2 sum = Vector2.Zero;
            for (int i = offset; i < offset + length; i++) sum += shape[i];
            return sum / length;
        }
        Vector2 eyes = Centre(LandmarkRegions.LeftEye) - Centre(LandmarkRegions.RightEye);
        Vector2 centroid = Centre(..);
        double angle = -Math.Atan2(eyes.Y, eyes.X);
        float cos = (float)Math.Cos(angle), sin = (float)Math.Sin(angle);
        return shape.Select(p =>
        {
            Vector2 d = p - centroid;
            return centroid + new Vector2(cos * d.X - sin * d.Y, sin * d.X + cos * d.Y);
        }).ToArray();
    }

    /// <summary>Scales a shape uniformly so its bounding box's longer side is 1, centred in the unit square.</summary>
    public static Vector2[] FitUnitSquare(IReadOnlyList<Vector2> shape)
    {
        float minX = shape.Min(p => p.X), maxX = shape.Max(p => p.X);
        float minY = shape.Min(p => p.Y), maxY = shape.Max(p => p.Y);
        float side = Math.Max(maxX - minX, maxY - minY);
        var offset = new Vector2((side - (maxX - minX)) / 2 - minX, (side - (maxY - minY)) / 2 - minY);
        return shape.Select(p => (p + offset) / side).ToArray();
    }
}
