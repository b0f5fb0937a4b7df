using System.Numerics;
using Doppel.Faces.Alignment;

namespace Doppel.Faces.Tests.Alignment;

public sealed class MeanFaceTests
{
    private static Vector2 Centre(Range r) => Average(MeanFace.Template.Points[r]);

    internal static Vector2 Average(ReadOnlySpan<Vector2> points)
    {
        Vector2 sum = Vector2.Zero;
        foreach (var p in points) sum += p;
        return sum / points.Length;
    }

    [Fact]
    public void Fills_the_unit_square_along_its_longer_side()
    {
        var p = MeanFace.Template.Points.ToArray();
        Assert.All(p, q => Assert.InRange(q.X, -1e-4f, 1.0001f));
        Assert.All(p, q => Assert.InRange(q.Y, -1e-4f, 1.0001f));
        float w = p.Max(q => q.X) - p.Min(q => q.X), h = p.Max(q => q.Y) - p.Min(q => q.Y);
        Assert.Equal(1f, Math.Max(w, h), 1e-4f);
    }

    [Fact]
    public void Is_an_upright_face()
    {
        Vector2 rightEye = Centre(LandmarkRegions.RightEye), leftEye = Centre(LandmarkRegions.LeftEye);
        Vector2 nose = MeanFace.Template.Points[30], mouth = Centre(LandmarkRegions.OuterMouth), chin = MeanFace.Template.Points[8];
        Assert.True(rightEye.X < leftEye.X, "subject's right eye on the image's left");
        Assert.InRange(Math.Abs(rightEye.Y - leftEye.Y), 0, 0.02f); // level eyes
        Assert.True(leftEye.Y < nose.Y && nose.Y < mouth.Y && mouth.Y < chin.Y, "eyes above nose above mouth above chin");
        float interOcular = leftEye.X - rightEye.X;
        Assert.InRange(interOcular, 0.3f, 0.5f);
        // Left-right symmetric: nose and mouth near the eyes' midline.
        float mid = (rightEye.X + leftEye.X) / 2;
        Assert.InRange(Math.Abs(nose.X - mid), 0, 0.03f);
        Assert.InRange(Math.Abs(mouth.X - mid), 0, 0.03f);
    }
}
