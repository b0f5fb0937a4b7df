using Doppel.Swap.Benchmarks;
using Doppel.Datasets.FaceSets;
using Doppel.Swap.Tests.Support;

namespace Doppel.Swap.Tests;

public class TrainThroughputTests
{
    [Fact]
    public void TheBenchMaskHasEveryWeightTheLandmarkMaskGives()
    {
        float[] w = SyntheticFaceMask.Weights(64);
        Assert.Equal(64 * 64, w.Length);
        Assert.Equal(new[] { 0f, 1f, LandmarkMask.MouthWeight, LandmarkMask.EyeWeight }, w.Distinct().Order().ToArray());
        // The background frames the face: the corners are 0, the centre is face.
        Assert.Equal(0f, w[0]);
        Assert.Equal(0f, w[^1]);
        Assert.NotEqual(0f, w[32 * 64 + 32]);
        float face = w.Count(v => v > 0) / (float)w.Length;
        Assert.InRange(face, 0.25f, 0.6f);
    }

    [Fact]
    public void TheBenchRunsTheTrainingStep()
    {
        var result = TrainThroughput.Run(TinyModels.Tiny, batch: 2, steps: 2, warmup: 1, seed: 1);
        Assert.Equal(2, result.StepSeconds.Length);
        Assert.Equal(TinyModels.Tiny.Create(new Doppel.Tensors.Nn.Rng(1)).ParameterCount, result.Parameters);
        Assert.True(result.ExamplesPerSecond > 0);
    }
}
