using Doppel.Core;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;

namespace Doppel.Swap.Tests;

/// <summary>The swap trainer's learning-rate schedule: warm-up, cosine decay to a floor, held there; resumed exactly, changes refused.</summary>
public class LearningRateScheduleTests
{
    [Fact]
    public void WarmUpThenCosineDecayToTheFloorThenHold()
    {
        var s = new TrainSettings { LearningRate = 4e-4f, WarmupIterations = 4, DecayIterations = 10, FinalLearningRateFraction = 0.25f }.LearningRateSchedule()!;
        double peak = 4e-4f;
        Assert.Equal(0, s.ValueAt(0));
        Assert.Equal(peak / 2, s.ValueAt(2), 12);
        Assert.Equal(peak, s.ValueAt(4), 12);                        // the warm-up ends at the peak
        Assert.Equal(peak * (0.25 + 0.75 * 0.5), s.ValueAt(4 + 5), 9); // half way down the cosine
        Assert.Equal(peak * 0.25, s.ValueAt(14), 9);
        Assert.Equal(peak * 0.25, s.ValueAt(1000), 9);               // held, not climbing back
        Assert.Null(new TrainSettings().LearningRateSchedule());     // what a checkpoint without a schedule meant: a constant rate
        Assert.Equal(peak, new TrainSettings { LearningRate = 4e-4f, DecayIterations = 10 }.LearningRateSchedule()!.ValueAt(0), 12);
    }

    [Fact]
    public void ANewRunWarmsUpTo5em4AndEndsAt5em5AfterTheTwentyMinuteBudget()
    {
        // The defaults of train, demo and bench swap (docs/training.md, "Identity after training").
        var s = TrainSettings.Default.LearningRateSchedule()!;
        Assert.Equal(0, s.ValueAt(0));
        Assert.Equal(5e-4f, s.ValueAt(100), 9);
        Assert.Equal(5e-5f, s.ValueAt(2700), 9);       // 2,700 lite iterations: 20 quiet minutes on 2 cores
        Assert.Equal(5e-5f, s.ValueAt(100_000), 9);    // then the long-run rate of before
        Assert.Equal(new TrainSettings().Model, TrainSettings.Default.Model);
        Assert.Equal(new TrainSettings().BatchSize, TrainSettings.Default.BatchSize);
    }

    [Fact]
    public void TheTrainerFollowsTheScheduleAndResumesIt()
    {
        using var dir = new TempDir();
        var settings = new TrainSettings { Model = "tiny", BatchSize = 4, LearningRate = 1e-3f, Seed = 7, WarmupIterations = 2, DecayIterations = 3 };
        TrainerOptions Options(string model, long iterations) => new()
        {
            FaceSetA = File.Exists(Path.Combine(dir.Sub("a"), "alignments.json")) ? dir.Sub("a") : SyntheticFaceSets.Write(dir.Sub("a"), 12, 32, 0),
            FaceSetB = File.Exists(Path.Combine(dir.Sub("b"), "alignments.json")) ? dir.Sub("b") : SyntheticFaceSets.Write(dir.Sub("b"), 10, 32, 1),
            ModelDir = dir.Sub(model), Settings = settings, Models = TinyModels.Registry, Iterations = iterations, SaveEvery = 0, PreviewEvery = 0, Log = TextWriter.Null,
        };
        var straight = new SwapTrainer(Options("straight", 6)).Run();
        new SwapTrainer(Options("split", 3)).Run();
        var second = new SwapTrainer(Options("split", 6) with { Resume = true }).Run();
        Assert.Equal(straight.Losses.Skip(3), second.Losses);
        // The sixth update (5 before it) ran at the end of the cosine, 3 iterations after the warm-up: the floor.
        var saved = SwapCheckpoints.Store(dir.Sub("split")).ReadLatest();
        Assert.Equal(1e-3 * 0.1, saved.Manifest.Optimizers[0].Scalars["lr"], 9);

        var changed = Assert.Throws<DoppelException>(() => new SwapTrainer(Options("split", 8) with { Resume = true, Settings = settings with { DecayIterations = 30 } }).Run());
        Assert.Contains("lr schedule", changed.Message);
    }

    [Fact]
    public void AScheduleFittedToARunEndsAtTheFloorAsTheRunEnds()
    {
        // The demo's case: 10 minutes buy ~1,350 quiet iterations, not the default's 2,700.
        var fitted = TrainSettings.Default.FittedTo(1350);
        Assert.Equal((100, 1250), (fitted.WarmupIterations, fitted.DecayIterations));
        var s = fitted.LearningRateSchedule()!;
        Assert.Equal(5e-4f, s.ValueAt(100), 9);
        Assert.Equal(5e-5f, s.ValueAt(1350), 9);
        Assert.True(s.ValueAt(1349) > 5e-5f && s.ValueAt(675) > 2e-4f);
        Assert.Equal(5e-5f, s.ValueAt(5000), 9);                         // a run that goes on holds the floor

        // A short run keeps three quarters of itself for the cosine; everything else is unchanged.
        var tiny = TrainSettings.Default.FittedTo(40);
        Assert.Equal((10, 30), (tiny.WarmupIterations, tiny.DecayIterations));
        Assert.Equal(TrainSettings.Default with { WarmupIterations = 10, DecayIterations = 30 }, tiny);
        var constant = new TrainSettings();
        Assert.Same(constant, constant.FittedTo(1000));                  // a constant rate stays constant
    }

    [Fact]
    public void TheRateProbeMeasuresTheModelAndLeavesNothingBehind()
    {
        using var dir = new TempDir();
        var options = new TrainerOptions
        {
            FaceSetA = SyntheticFaceSets.Write(dir.Sub("a"), 12, 32, 0),
            FaceSetB = SyntheticFaceSets.Write(dir.Sub("b"), 10, 32, 1),
            ModelDir = Path.Combine(dir.Path, "model"),
            Settings = new TrainSettings { Model = "tiny", BatchSize = 4, Seed = 7 },
            Models = TinyModels.Registry,
            Duration = TimeSpan.FromMinutes(10),
        };
        double rate = TrainingRateProbe.IterationsPerSecond(options);
        Assert.True(double.IsFinite(rate) && rate > 0, $"rate {rate}");
        Assert.Equal(["a", "b"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
