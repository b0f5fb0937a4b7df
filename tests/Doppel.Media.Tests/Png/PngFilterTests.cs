using Doppel.Media.Png;

namespace Doppel.Media.Tests.Png;

public class PngFilterTests
{
    [Fact]
    public void VectorPaethFilterMatchesScalarAtEveryLength()
    {
        var random = new Random(17);
        foreach (int stride in new[] { 1, 2, 3, 4, 6, 8 })
            for (int length = 0; length <= 100; length++)
            {
                var row = new byte[length];
                var previous = new byte[length];
                random.NextBytes(row);
                random.NextBytes(previous);
                var fast = new byte[length];
                var scalar = new byte[length];
                PngFilters.Filter(PngFilterType.Paeth, row, previous, stride, fast);
                for (int i = 0; i < Math.Min(stride, length); i++) scalar[i] = (byte)(row[i] - previous[i]);
                PngFilters.FilterPaethScalar(row, previous, stride, scalar, Math.Min(stride, length));
                Assert.Equal(scalar, fast);
            }
    }

    [Fact]
    public void EveryFilterInvertsAtEveryLength()
    {
        var random = new Random(5);
        foreach (PngFilterType type in Enum.GetValues<PngFilterType>())
            foreach (int stride in new[] { 1, 3, 4 })
                for (int length = stride; length <= 70; length++)
                {
                    var row = new byte[length];
                    var previous = new byte[length];
                    random.NextBytes(row);
                    random.NextBytes(previous);
                    var filtered = new byte[length];
                    PngFilters.Filter(type, row, previous, stride, filtered);
                    PngFilters.Unfilter(type, filtered, previous, stride);
                    Assert.Equal(row, filtered);
                }
    }
}

public class PngFilterCostTests
{
    [Fact]
    public void VectorCostMatchesScalarAtEveryLength()
    {
        var random = new Random(23);
        for (int length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            if (length > 0) data[0] = 128; // the one value whose signed magnitude needs care
            Assert.Equal(data.Sum(b => PngFilters.CostOf(b)), PngFilters.Cost(data));
        }
    }

    [Fact]
    public void ForwardFiltersMatchTheirDefinitions()
    {
        var random = new Random(29);
        foreach (int stride in new[] { 1, 3, 4 })
            for (int length = 0; length <= 70; length++)
            {
                var row = new byte[length];
                var previous = new byte[length];
                random.NextBytes(row);
                random.NextBytes(previous);
                var sub = new byte[length];
                var avg = new byte[length];
                PngFilters.Filter(PngFilterType.Sub, row, previous, stride, sub);
                PngFilters.Filter(PngFilterType.Average, row, previous, stride, avg);
                for (int i = 0; i < length; i++)
                {
                    int a = i >= stride ? row[i - stride] : 0;
                    Assert.Equal((byte)(row[i] - a), sub[i]);
                    Assert.Equal((byte)(row[i] - ((a + previous[i]) >> 1)), avg[i]);
                }
            }
    }
}
