using Doppel.Core;
using Doppel.Swap.Data;
using Doppel.Swap.Tests.Support;
using Doppel.Swap.Training;
using Doppel.Datasets.FaceSets;

namespace Doppel.Swap.Tests;

public class TrainerTests
{
    private static TrainerOptions Options(TempDir dir, string model = "out", long iterations = 4, bool landmarks = true) => new()
    {
        FaceSetA = File.Exists(Path.Combine(dir.Sub("a"), "alignments.json")) ? dir.Sub("a") : SyntheticFaceSets.Write(dir.Sub("a"), 12, 32, 0, landmarks),
        FaceSetB = File.Exists(Path.Combine(dir.Sub("b"), "alignments.json")) ? dir.Sub("b") : SyntheticFaceSets.Write(dir.Sub("b"), 10, 32, 1, landmarks),
        ModelDir = dir.Sub(model),
        Settings = new TrainSettings { Model = "tiny", BatchSize = 4, LearningRate = 1e-3f, Seed = 7 },
        Models = TinyModels.Registry,
        Iterations = iterations,
        SaveEvery = 0,
        PreviewEvery = 2,
        Log = TextWriter.Null,
    };

    [Fact]
    public void ResumingGivesTheSameLossesAsTrainingStraightThrough()
    {
        using var dir = new TempDir();
        var straight = new SwapTrainer(Options(dir, "straight", iterations: 6)).Run();
        var first = new SwapTrainer(Options(dir, "split", iterations: 3)).Run();
        var second = new SwapTrainer(Options(dir, "split", iterations: 6) with { Resume = true }).Run();

        Assert.Equal(6, straight.Iteration);
        Assert.Equal(3, first.Iteration);
        Assert.Equal(6, second.Iteration);
        Assert.Equal(3, second.SessionIterations);
        Assert.Equal(straight.Losses, first.Losses.Concat(second.Losses).ToList());
        Assert.True(straight.Weighted);
        var state = new CheckpointStore(dir.Sub("split")).ReadLatest().State;
        Assert.Equal(6, state.Iteration);
        Assert.Equal(6, state.AdamStep);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(dir.Sub("split"), "loss.csv")).Length);
    }

    [Fact]
    public void AnInterruptSavesALoadableCheckpoint()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        var trainer = new SwapTrainer(Options(dir, iterations: 100)) { OnIteration = (i, _, _) => { if (i == 2) cts.Cancel(); } };
        var result = trainer.Run(cts.Token);
        Assert.Equal(StopReason.Interrupted, result.Reason);
        Assert.Equal(2, result.Iteration);
        var resumed = new SwapTrainer(Options(dir, iterations: 3) with { Resume = true }).Run();
        Assert.Equal(3, resumed.Iteration);
        Assert.True(File.Exists(Path.Combine(dir.Sub("out"), "preview.png")));
    }

    [Fact]
    public void ResumingWithOtherFacesOrAnotherModelIsRefused()
    {
        using var dir = new TempDir();
        new SwapTrainer(Options(dir, iterations: 1)).Run();
        string other = SyntheticFaceSets.Write(dir.Sub("other"), 5, 32, 2);
        var e = Assert.Throws<DoppelException>(() => new SwapTrainer(Options(dir, iterations: 2) with { Resume = true, FaceSetB = other }).Run());
        Assert.Contains("face set B", e.Message);
        Assert.NotNull(e.Hint);

        var opts = Options(dir, iterations: 2);
        e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts with { Resume = true, Settings = opts.Settings with { Model = "lite" } }).Run());
        Assert.Contains("'tiny' model", e.Message);

        e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts with { Resume = true, Settings = opts.Settings with { BatchSize = 2 } }).Run());
        Assert.Contains("batch: 4 -> 2", e.Message);

        e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts).Run());
        Assert.Contains("already holds a checkpoint", e.Message);

        e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts with { Resume = true, ModelDir = dir.Sub("nothing") }).Run());
        Assert.Contains("no checkpoint", e.Message);
    }

    [Fact]
    public void BadFaceSetsGiveAClearError()
    {
        using var dir = new TempDir();
        var opts = Options(dir);
        var e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts with { FaceSetA = dir.Sub("missing") }).Run());
        Assert.Contains("not found", e.Message);
        Assert.NotNull(e.Hint);

        Directory.CreateDirectory(Path.Combine(dir.Sub("empty"), "faces"));
        e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts with { FaceSetB = dir.Sub("empty") }).Run());
        Assert.Contains("no faces", e.Message);

        string mixed = SyntheticFaceSets.Write(dir.Sub("mixed"), 3, 32, 0);
        SyntheticFaceSets.Write(dir.Sub("mixed-big"), 1, 48, 0);
        var big = Directory.GetFiles(Path.Combine(dir.Sub("mixed-big"), "faces"))[0];
        File.Copy(big, Path.Combine(mixed, "faces", "zzz_big.png"));
        e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts with { FaceSetA = mixed }).Run());
        Assert.Contains("48x48", e.Message);

        string small = SyntheticFaceSets.Write(dir.Sub("small"), 3, 16, 0);
        e = Assert.Throws<DoppelException>(() => new SwapTrainer(opts with { FaceSetA = small }).Run());
        Assert.Contains("coverage", e.Message);
        Assert.False(Directory.Exists(opts.ModelDir));
    }

    [Fact]
    public void ATimeLimitStopsTheRunAndStillLeavesACheckpoint()
    {
        using var dir = new TempDir();
        var result = new SwapTrainer(Options(dir, iterations: 0) with { Duration = TimeSpan.Zero }).Run();
        Assert.Equal(StopReason.Duration, result.Reason);
        Assert.Equal(0, result.Iteration);
        var state = new CheckpointStore(dir.Sub("out")).ReadLatest().State;
        Assert.Equal(0, state.Iteration);
        Assert.Null(state.LastLossA);
    }

    [Fact]
    public void WithoutLandmarksTheLossIsUnweightedAndSaysSo()
    {
        using var dir = new TempDir();
        var log = new StringWriter();
        var result = new SwapTrainer(Options(dir, iterations: 2, landmarks: false) with { Log = log }).Run();
        Assert.False(result.Weighted);
        Assert.Contains("unweighted", log.ToString());
        Assert.All(result.Losses, l => Assert.True(float.IsFinite(l.LossA) && float.IsFinite(l.LossB)));
    }

    [Fact]
    public void TimelapseKeepsOnePreviewPerInterval()
    {
        using var dir = new TempDir();
        new SwapTrainer(Options(dir, iterations: 4) with { Timelapse = true, SaveEvery = 2 }).Run();
        var previews = Directory.GetFiles(Path.Combine(dir.Sub("out"), "previews")).Select(p => Path.GetFileName(p)!).Order().ToArray();
        Assert.Equal(new[] { "preview_00000002.png", "preview_00000004.png" }, previews);
        Assert.True(File.Exists(Path.Combine(new CheckpointStore(dir.Sub("out")).PreviousDir, CheckpointStore.StateFile)));
    }

    [Fact]
    public void AlignmentsLandmarksAreMappedIntoCropPixels()
    {
        using var dir = new TempDir();
        var points = SyntheticFaceSets.Landmarks(32, 0);
        var crop = new Doppel.Media.Imaging.RgbImage(32, 32);
        var m = new Doppel.Media.Geometry.AffineMatrix(0.5, 0, 3, 0, 0.5, -2);
        FaceSetWriter.Write(dir.Sub("set"), "clip.mp4", [new FaceSetWriter.Face(4, crop, points, m)]);
        var set = FaceSet.Open(dir.Sub("set"));
        var mapped = set.LandmarksOf(0)!;
        Assert.Equal(points[0] * 0.5f + 3, mapped[0], 4);
        Assert.Equal(points[1] * 0.5f - 2, mapped[1], 4);
        Assert.Equal(32, set.Fingerprint.Length);
    }
}
