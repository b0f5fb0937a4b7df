using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Landmarks;

public sealed class ShapeSimilarityTests
{
    [Fact]
    public void RecoversScaleAndRotationRegardlessOfTranslation()
    {
        float[] from = [0, 0, 1, 0, 1, 2, -1, 1, 0.5f, -0.7f];
        double scale = 1.7, angle = 0.4;
        float a = (float)(scale * Math.Cos(angle)), b = (float)(scale * Math.Sin(angle));
        float[] to = new float[from.Length];
        for (int i = 0; i < from.Length; i += 2)
        {
            to[i] = a * from[i] - b * from[i + 1] + 10;
            to[i + 1] = b * from[i] + a * from[i + 1] - 3;
        }
        var (fa, fb) = ShapeSimilarity.ScaleRotation(from, to);
        Assert.Equal(a, fa, 5);
        Assert.Equal(b, fb, 5);
    }

    [Fact]
    public void IdentityForIdenticalShapes()
    {
        float[] shape = [0.1f, 0.2f, 0.8f, 0.3f, 0.5f, 0.9f];
        Assert.Equal((1f, 0f), ShapeSimilarity.ScaleRotation(shape, shape));
    }

    [Fact]
    public void IdentityForADegenerateSourceShape() =>
        Assert.Equal((1f, 0f), ShapeSimilarity.ScaleRotation([1f, 1f, 1f, 1f], [0f, 0f, 2f, 2f]));
}
