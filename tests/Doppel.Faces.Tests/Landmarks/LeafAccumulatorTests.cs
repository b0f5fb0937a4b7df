using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// The blocked vector paths against plain float adds in tree order, at shape lengths around
/// the block sizes (8, 32, 64) and leaf counts around the prefetch distance.
/// </summary>
public sealed class LeafAccumulatorTests
{
    [Theory]
    [InlineData(0, 3)] [InlineData(1, 3)] [InlineData(7, 3)] [InlineData(8, 3)] [InlineData(9, 3)]
    [InlineData(15, 9)] [InlineData(16, 9)] [InlineData(17, 9)] [InlineData(31, 9)] [InlineData(32, 9)]
    [InlineData(33, 9)] [InlineData(63, 20)] [InlineData(64, 20)] [InlineData(65, 20)] [InlineData(136, 500)]
    [InlineData(136, 0)] [InlineData(136, 1)] [InlineData(200, 7)]
    public void AddsLeavesInTreeOrderExactly(int length, int trees)
    {
        var random = new Random(length * 1000 + trees);
        float[] shape = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        const int leafCount = 16;
        float[] leaves = Enumerable.Range(0, leafCount * length).Select(_ => ((float)random.NextDouble() - 0.5f) * 1e-2f).ToArray();
        int[] offsets = Enumerable.Range(0, trees).Select(_ => random.Next(leafCount) * length).ToArray();

        float[] expected = (float[])shape.Clone();
        foreach (int offset in offsets)
            for (int i = 0; i < length; i++) expected[i] += leaves[offset + i];

        LeafAccumulator.AddAll(shape, leaves, offsets);
        Assert.Equal(expected, shape);
    }

    [Fact]
    public void RejectsOffsetsBeyondTheLeaves() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LeafAccumulator.AddAll(new float[8], new float[16], [9]));
}
