using Doppel.Core;
using Doppel.Media.Geometry;

namespace Doppel.Media.Tests.Geometry;

public class AffineMatrixTests
{
    [Fact]
    public void InverseUndoesTheTransform()
    {
        AffineMatrix m = AffineMatrix.Rotation(0.7, 10, 20).Then(AffineMatrix.Scale(1.5, 0.8)).Then(AffineMatrix.Translation(-3, 4));
        AffineMatrix inverse = m.Invert();
        (double x, double y) = m.Transform(12.5, -7.25);
        (double bx, double by) = inverse.Transform(x, y);
        Assert.Equal(12.5, bx, 9);
        Assert.Equal(-7.25, by, 9);
        AffineMatrix identity = m.Then(inverse);
        Assert.Equal(AffineMatrix.Identity.ToRowMajor(), identity.ToRowMajor().Select(v => Math.Round(v, 9) + 0.0).ToArray());
    }

    [Fact]
    public void ThenAppliesLeftToRight()
    {
        AffineMatrix m = AffineMatrix.Translation(1, 0).Then(AffineMatrix.Scale(2, 2));
        Assert.Equal((2.0, 0.0), m.Transform(0, 0));
    }

    [Fact]
    public void RotationTurnsXTowardsY()
    {
        (double x, double y) = AffineMatrix.Rotation(Math.PI / 2).Transform(1, 0);
        Assert.Equal(0, x, 12);
        Assert.Equal(1, y, 12);
    }

    [Fact]
    public void SingularMatrixIsADoppelException()
    {
        Assert.Throws<DoppelException>(() => new AffineMatrix(1, 2, 0, 2, 4, 0).Invert());
        Assert.Throws<DoppelException>(() => new AffineMatrix(0, 0, 0, 0, 0, 0).Invert());
    }

    [Fact]
    public void RowMajorRoundTrips()
    {
        var m = new AffineMatrix(1, 2, 3, 4, 5, 6);
        Assert.Equal(m, AffineMatrix.FromRowMajor(m.ToRowMajor()));
    }
}
