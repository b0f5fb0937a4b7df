using Doppel.Gan.Data;
using Doppel.Gan.Evaluation;
using Doppel.Gan.Sampling;
using Doppel.Gan.Training;
using Doppel.Tensors.Nn;
using Doppel.Training;

namespace Doppel.Gan.Tests;

/// <summary>gan eval --nearest: exact nearest-neighbour distances, and what they say about copying.</summary>
public sealed class NearestNeighbourTests
{
    [Fact]
    public void DistancesAreTheRmsPixelDistanceToTheNearestReference()
    {
        float[] reference = [1, 0, 3, 3, 10, 10];
        float[] queries = [0, 0, 3, 5, 10, 10];
        var d = NearestNeighbourEvaluation.Distances(queries, reference, 2);
        Assert.Equal(1 / Math.Sqrt(2), d[0], 6);   // (1, 0)
        Assert.Equal(2 / Math.Sqrt(2), d[1], 6);   // (3, 3)
        Assert.Equal(0, d[2], 6);                  // itself
    }

    [Fact]
    public void DistancesMatchABruteForceInDouble()
    {
        var rng = new Rng(5);
        var reference = new float[40 * 30];
        var queries = new float[25 * 30];
        rng.FillUniform(reference, 0, 1);
        rng.FillUniform(queries, 0, 1);
        var d = NearestNeighbourEvaluation.Distances(queries, reference, 30);
        for (int i = 0; i < 25; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < 40; j++)
            {
                double s = 0;
                for (int k = 0; k < 30; k++) s += Math.Pow(queries[i * 30 + k] - reference[j * 30 + k], 2);
                best = Math.Min(best, Math.Sqrt(s / 30));
            }
            Assert.Equal(best, d[i], 5);
        }
    }

    [Fact]
    public void QuantilesInterpolateAsNumpy_AndCopiesScoreAsCopies()
    {
        Assert.Equal(1.15, NearestNeighbourResult.Quantile([4, 2, 1, 3], 0.05), 12);
        Assert.Equal(2.5, NearestNeighbourResult.Median([4, 2, 1, 3]), 12);
        // Samples that are training images: distance 0, all below the held-out faces' 5th percentile.
        var copies = new NearestNeighbourResult([0, 0, 0], [0.1, 0.2, 0.3, 0.4], 4);
        Assert.Equal(1, copies.ShareNearerThanHeldOutLow);
        var far = new NearestNeighbourResult([0.5, 0.6], [0.1, 0.2, 0.3, 0.4], 4);
        Assert.Equal(0, far.ShareNearerThanHeldOutLow);
    }

    [Fact]
    public void ADcganIsMeasuredAgainstItsTrainingAndHeldOutFaceSets()
    {
        using var dir = new TempDir();
        string a = SyntheticFaceSets.Write(Path.Combine(dir.Path, "a"), 8, 64, person: 0);
        string b = SyntheticFaceSets.Write(Path.Combine(dir.Path, "b"), 5, 64, person: 1);
        var training = FaceImages.Load([a], 32);
        string run = Path.Combine(dir.Path, "run");
        new TrainingLoop<GanBatch>(new GanTask(GanSettings.For("dcgan") with { Size = 32, Features = 4, Batch = 4 }, training),
            new TrainingLoopOptions { OutputDir = run, Iterations = 1, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null }).Run();
        var result = NearestNeighbourEvaluation.Run(GanModel.Open(run), training, FaceImages.Load([b], 32), seed: 1, samples: 6);
        Assert.Equal((6, 5, 8), (result.Samples.Length, result.HeldOut.Length, result.TrainingImages));
        Assert.All(result.Samples.Concat(result.HeldOut), v => Assert.InRange(v, 1e-3, 1));
    }
}
