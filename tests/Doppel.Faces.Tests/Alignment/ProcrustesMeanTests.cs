using System.Numerics;
using Doppel.Faces.Alignment;
using Doppel.Media.Geometry;

namespace Doppel.Faces.Tests.Alignment;

public sealed class ProcrustesMeanTests
{
    [Fact]
    public void Mean_of_moved_copies_is_the_shape_itself()
    {
        Vector2[] shape = MeanFace.Template.Points.ToArray();
        var copies = new[] { (0.1, 2.0, 5.0), (-0.4, 0.5, -30.0), (1.0, 3.0, 100.0) }
            .Select(t => (Umeyama.Transform(AffineMatrix.Scale(t.Item2, t.Item2).Then(AffineMatrix.Rotation(t.Item1)).Then(AffineMatrix.Translation(t.Item3, 7)), shape), 1.0))
            .ToList();
        Vector2[] mean = FaceTemplate.FitUnitSquare(FaceTemplate.Upright(ProcrustesMean.Compute(copies, LandmarkRegions.AlignmentPoints)));
        for (int i = 0; i < shape.Length; i++) Assert.True(Vector2.Distance(shape[i], mean[i]) < 1e-4, $"point {i}: {shape[i]} vs {mean[i]}");
    }

    [Fact]
    public void Weights_pull_the_mean_towards_heavier_shapes()
    {
        Vector2[] a = MeanFace.Template.Points.ToArray();
        Vector2[] b = a.Select((p, i) => i == 30 ? p + new Vector2(0, 0.1f) : p).ToArray(); // nose tip lower
        Vector2[] light = FaceTemplate.FitUnitSquare(ProcrustesMean.Compute([(a, 3.0), (b, 1.0)], LandmarkRegions.AlignmentPoints));
        Vector2[] heavy = FaceTemplate.FitUnitSquare(ProcrustesMean.Compute([(a, 1.0), (b, 3.0)], LandmarkRegions.AlignmentPoints));
        Assert.True(heavy[30].Y - heavy[27].Y > light[30].Y - light[27].Y);
    }
}
