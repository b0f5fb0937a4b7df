using Doppel.Forensics.Evaluation;

namespace Doppel.Forensics.Tests.Evaluation;

public class RocMetricsTests
{
    [Fact]
    public void AucCountsPairsAndHalvesTies()
    {
        Assert.Equal(1.0, RocMetrics.Auc([0.1f, 0.2f], [0.3f, 0.9f]));
        Assert.Equal(0.0, RocMetrics.Auc([0.8f, 0.9f], [0.1f, 0.2f]));
        Assert.Equal(0.5, RocMetrics.Auc([0.5f, 0.5f], [0.5f, 0.5f]));
        // reals 0.1 0.4 0.6, fakes 0.4 0.7: pairs won 1+0.5+0 + 1+1+1 = 4.5 of 6.
        Assert.Equal(0.75, RocMetrics.Auc([0.1f, 0.4f, 0.6f], [0.4f, 0.7f]), 12);
    }

    [Fact]
    public void TheThresholdFlagsAtMostTheGivenShareOfReals()
    {
        var reals = Enumerable.Range(0, 200).Select(i => i / 200f).ToList(); // 0, 0.005, ... 0.995
        float t = RocMetrics.ThresholdAtFpr(reals, 0.05);
        Assert.Equal(0.05, RocMetrics.RateAtOrAbove(reals, t), 12); // exactly the 10 highest
        Assert.True(t > reals[189] && t <= reals[190]);
        // Ties at the edge are not split: three reals at 0.9 and a 1% budget of 100 flag none of them.
        var tied = Enumerable.Repeat(0.1f, 97).Concat([0.9f, 0.9f, 0.9f]).ToList();
        Assert.Equal(0.0, RocMetrics.RateAtOrAbove(tied, RocMetrics.ThresholdAtFpr(tied, 0.01)));
        Assert.Equal(1.0, RocMetrics.DetectionAtFpr(reals, [0.999f, 1f], 0.01));
    }
}
