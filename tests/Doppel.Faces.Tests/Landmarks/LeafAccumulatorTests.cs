using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>The vector path against plain float adds, at lengths around the vector width.</summary>
public sealed class LeafAccumulatorTests
{
    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(15)]
    [InlineData(16)] [InlineData(17)] [InlineData(63)] [InlineData(64)] [InlineData(65)] [InlineData(136)]
    public void AddsElementByElementExactly(int length)
    {
        var random = new Random(length);
        float[] shape = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] leaf = Enumerable.Range(0, length).Select(_ => ((float)random.NextDouble() - 0.5f) * 1e-3f).ToArray();
        float[] expected = shape.Zip(leaf, (s, l) => s + l).ToArray();
        LeafAccumulator.Add(shape, leaf);
        Assert.Equal(expected, shape);
    }

    [Fact]
    public void RejectsLengthMismatch() =>
        Assert.Throws<ArgumentException>(() => LeafAccumulator.Add(new float[8], new float[9]));
}
