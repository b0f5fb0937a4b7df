using System.Numerics;
using Doppel.Core;
using Doppel.Faces.Alignment;
using Doppel.Media.Geometry;

namespace Doppel.Faces.Tests.Alignment;

public sealed class UmeyamaTests
{
    [Theory]
    [InlineData(0.0, 1.0, 0.0, 0.0)]
    [InlineData(0.3, 2.5, 17.0, -4.0)]
    [InlineData(-1.2, 0.4, -120.5, 300.25)]
    [InlineData(3.0, 7.0, 1000.0, 1000.0)] // near a half turn
    public void Recovers_a_known_similarity_exactly(double angle, double scale, double tx, double ty)
    {
        ReadOnlySpan<Vector2> template = MeanFace.Template.Points;
        var truth = AffineMatrix.Scale(scale, scale).Then(AffineMatrix.Rotation(angle)).Then(AffineMatrix.Translation(tx, ty));
        Vector2[] moved = Umeyama.Transform(truth, template);

        AffineMatrix found = Umeyama.Estimate(template, moved);

        double[] expected = truth.ToRowMajor(), actual = found.ToRowMajor();
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], actual[i], 1e-4 * Math.Max(1, Math.Abs(expected[i])));
        Assert.Equal(scale, Umeyama.ScaleOf(found), 1e-5);
    }

    [Fact]
    public void Least_squares_with_noise_beats_any_nearby_similarity()
    {
        var rng = new Random(7);
        Vector2[] from = MeanFace.Template.Points.ToArray().Select(p => p * 200).ToArray();
        var truth = AffineMatrix.Rotation(0.2).Then(AffineMatrix.Translation(30, 40));
        Vector2[] to = Umeyama.Transform(truth, from).Select(p => p + new Vector2((float)rng.NextDouble() - 0.5f, (float)rng.NextDouble() - 0.5f) * 4).ToArray();
        AffineMatrix best = Umeyama.Estimate(from, to);
        double Cost(AffineMatrix m) => Umeyama.Transform(m, from).Zip(to).Sum(p => (double)Vector2.DistanceSquared(p.First, p.Second));
        double bestCost = Cost(best);
        foreach (var nudge in new[] { AffineMatrix.Rotation(0.002), AffineMatrix.Scale(1.001, 1.001), AffineMatrix.Translation(0.05, 0), AffineMatrix.Translation(0, -0.05) })
            Assert.True(Cost(best.Then(nudge)) > bestCost);
    }

    [Fact]
    public void Never_returns_a_reflection()
    {
        ReadOnlySpan<Vector2> template = MeanFace.Template.Points;
        Vector2[] mirrored = template.ToArray().Select(p => new Vector2(-p.X, p.Y)).ToArray();
        Assert.True(Umeyama.Estimate(template, mirrored).Determinant >= 0);
    }

    [Fact]
    public void Coincident_points_are_a_clear_error()
    {
        var same = Enumerable.Repeat(new Vector2(5, 5), 10).ToArray();
        var e = Assert.Throws<DoppelException>(() => Umeyama.Estimate(same, MeanFace.Template.Points[..10]));
        Assert.Contains("one point", e.Message);
    }
}
