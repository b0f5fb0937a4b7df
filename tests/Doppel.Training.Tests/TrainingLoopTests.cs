using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Training.Tests.Support;

namespace Doppel.Training.Tests;

public class TrainingLoopTests
{
    private static TrainingLoopOptions Options(string dir, long iterations, bool resume = false) => new()
    {
        OutputDir = dir,
        Iterations = iterations,
        Resume = resume,
        SaveEvery = 0,
        PreviewEvery = 0,
        Log = TextWriter.Null,
    };

    private static TrainingResult Train(string dir, long iterations, bool resume = false, ToyTask? task = null) =>
        new TrainingLoop<ToyBatch>(task ?? new ToyTask(), Options(dir, iterations, resume)).Run();

    [Fact]
    public void TheToyLossGoesDown()
    {
        using var dir = new TempDir();
        var result = Train(dir.Path, 150);
        var loss = result.Metrics.Series("loss").Select(s => s.Value).ToList();
        Assert.Equal(150, loss.Count);
        double first = loss.Take(10).Average(), last = loss.TakeLast(10).Average();
        Assert.True(last < 0.3 * first, $"loss went from {first:F4} to {last:F4}");
    }

    [Fact]
    public void ThreePlusThreeIterationsAreSixBitForBit()
    {
        using var dir = new TempDir();
        var straightTask = new ToyTask();
        var straight = Train(dir.Sub("straight"), 6, task: straightTask);
        var first = Train(dir.Sub("split"), 3);
        // 33 normals a step: after an odd number of steps a Box-Muller spare is pending, and the checkpoint carries it.
        Assert.NotNull(new CheckpointStore(dir.Sub("split")).ReadLatest().Manifest.Generators.Single().PendingNormal);
        var resumedTask = new ToyTask();
        var second = Train(dir.Sub("split"), 6, resume: true, task: resumedTask);

        Assert.Equal((6, 6L), (straight.Iteration, straight.SessionIterations));
        Assert.Equal((6, 3L), (second.Iteration, second.SessionIterations));
        var rows = Enumerable.Range(0, 3).Select(first.Metrics.Row).Concat(Enumerable.Range(0, 3).Select(second.Metrics.Row)).ToList();
        for (int i = 0; i < 6; i++) Assert.Equal(straight.Metrics.Row(i), rows[i]);
        Assert.Equal(straightTask.AllState().Select(s => s.Name), resumedTask.AllState().Select(s => s.Name));
        foreach (var ((name, a), (_, b)) in straightTask.AllState().Zip(resumedTask.AllState())) Assert.True(a.SequenceEqual(b), $"{name} differs after resume");
        Assert.Equal(straightTask.Noise.State, resumedTask.Noise.State);
        Assert.Equal(straightTask.Noise.PendingNormal, resumedTask.Noise.PendingNormal);
        Assert.Equal(straightTask.HeadOptimizer.ScalarState(), resumedTask.HeadOptimizer.ScalarState());

        // The logs hold each iteration once, and say the same as the uninterrupted run's but for the time.
        string[] Cells(string file) => File.ReadAllLines(file).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 1))).ToArray();
        Assert.Equal(Cells(Path.Combine(dir.Sub("straight"), "metrics.csv")), Cells(Path.Combine(dir.Sub("split"), "metrics.csv")));
        Assert.Equal(6, File.ReadAllLines(Path.Combine(dir.Sub("split"), "metrics.jsonl")).Length);
    }

    [Fact]
    public void PrefetchingChangesNothing()
    {
        using var dir = new TempDir();
        var ahead = new TrainingLoop<ToyBatch>(new ToyTask(), Options(dir.Sub("ahead"), 5) with { PrefetchDepth = 2 }).Run();
        var inline = new TrainingLoop<ToyBatch>(new ToyTask(), Options(dir.Sub("inline"), 5) with { PrefetchDepth = 0 }).Run();
        for (int i = 0; i < 5; i++) Assert.Equal(ahead.Metrics.Row(i), inline.Metrics.Row(i));
    }

    [Fact]
    public void CancellingSavesReportsInterruptedAndResumes()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        var log = new StringWriter();
        var loop = new TrainingLoop<ToyBatch>(new ToyTask(), Options(dir.Path, 100) with { Log = log }) { OnIteration = (i, _) => { if (i == 2) cts.Cancel(); } };
        var result = loop.Run(cts.Token);
        Assert.Equal(StopReason.Interrupted, result.Reason);
        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Equal(130, result.ExitCode);
        Assert.Equal(2, result.Iteration);
        Assert.Contains("interrupted at iteration 2", log.ToString());
        Assert.Equal(2, new CheckpointStore(dir.Path).ReadLatest().Iteration);

        var resumed = Train(dir.Path, 4, resume: true);
        Assert.Equal((4, 2L, StopReason.Iterations), (resumed.Iteration, resumed.SessionIterations, resumed.Reason));
        Assert.Equal(0, resumed.ExitCode);
    }

    [Fact]
    public void ACancelWhileWaitingForABatchStillSaves()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var result = new TrainingLoop<ToyBatch>(new ToyTask(), Options(dir.Path, 10)).Run(cts.Token);
        Assert.Equal((StopReason.Interrupted, 0L), (result.Reason, result.Iteration));
        Assert.True(new CheckpointStore(dir.Path).Exists);
    }

    [Fact]
    public void ANaNStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        var task = new ToyTask { NanAt = 4 };
        var loop = new TrainingLoop<ToyBatch>(task, Options(dir.Path, 10) with { SaveEvery = 2 });
        var e = Assert.Throws<DoppelException>(() => loop.Run());
        Assert.Contains("loss", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Contains("iteration 5", e.Message);
        Assert.Contains("nothing was saved", e.Message);
        Assert.Contains("learning rate", e.Hint);

        // On disk: the checkpoint of iteration 4, whose weights are the good ones.
        var saved = new CheckpointStore(dir.Path).ReadLatest();
        Assert.Equal(4, saved.Iteration);
        var fresh = new ToyTask();
        TaskCheckpoint.Restore(saved, fresh);
        Assert.All(fresh.Head.Weight.ToArray(), v => Assert.True(float.IsFinite(v)));
        // The metrics logs stop at the last good iteration.
        Assert.Equal(5, File.ReadAllLines(Path.Combine(dir.Path, "metrics.csv")).Length);

        // Resuming without the fault continues from iteration 4 as if nothing had happened.
        var straight = Train(dir.Sub("straight"), 6);
        var resumed = Train(dir.Path, 6, resume: true);
        Assert.Equal(straight.Metrics.Row(5), resumed.Metrics.Row(1));
    }

    [Fact]
    public void AnInfiniteMetricIsCaughtToo()
    {
        using var dir = new TempDir();
        var task = new InfinityTask();
        var e = Assert.Throws<DoppelException>(() => new TrainingLoop<ToyBatch>(task, Options(dir.Path, 5)).Run());
        Assert.Contains("late became ∞", e.Message.Replace("Infinity", "∞"));
        Assert.False(new CheckpointStore(dir.Path).Exists);
    }

    [Fact]
    public void ResumingWithOtherSettingsOrDataIsRefusedNamingTheDifference()
    {
        using var dir = new TempDir();
        Train(dir.Path, 2);
        var e = Assert.Throws<DoppelException>(() => Train(dir.Path, 4, resume: true, task: new ToyTask(new ToySettings { HeadLr = 0.1f, Batch = 4 })));
        Assert.Contains("settings", e.Message);
        Assert.Contains("batch: 8 -> 4", e.Message);
        Assert.Contains("headLr: 0.05 -> 0.1", e.Message);
        Assert.NotNull(e.Hint);

        e = Assert.Throws<DoppelException>(() => Train(dir.Path, 4, resume: true, task: new ToyTask(data: new ToyData(Count: 32))));
        Assert.Contains("data", e.Message);
        Assert.Contains("count: 64 -> 32", e.Message);

        e = Assert.Throws<DoppelException>(() => new TrainingLoop<ToyBatch>(new OtherKindTask(), Options(dir.Path, 4, resume: true)).Run());
        Assert.Contains("'toy' run", e.Message);
        Assert.Contains("'other' run", e.Message);

        e = Assert.Throws<DoppelException>(() => Train(dir.Path, 4));
        Assert.Contains("already holds a checkpoint", e.Message);

        e = Assert.Throws<DoppelException>(() => Train(dir.Sub("nothing"), 4, resume: true));
        Assert.Contains("no checkpoint", e.Message);

        // The refused attempts changed nothing: the run still resumes.
        Assert.Equal(4, Train(dir.Path, 4, resume: true).Iteration);
    }

    [Fact]
    public void ATimeLimitOfZeroStopsAtOnceAndStillLeavesACheckpoint()
    {
        using var dir = new TempDir();
        var task = new ToyTask();
        var result = new TrainingLoop<ToyBatch>(task, Options(dir.Path, 0) with { Duration = TimeSpan.Zero }).Run();
        Assert.Equal((StopReason.Duration, 0L), (result.Reason, result.Iteration));
        var saved = new CheckpointStore(dir.Path).ReadLatest();
        Assert.Equal(0, saved.Iteration);
        Assert.Empty(saved.Manifest.LastMetrics);
        Assert.Equal([0L], task.Previews);
    }

    [Fact]
    public void AMeasuringSessionWithoutSaveAtEndWritesNoCheckpointAndNoPreviewButReportsItsRate()
    {
        using var dir = new TempDir();
        var task = new ToyTask();
        var log = new StringWriter();
        var result = new TrainingLoop<ToyBatch>(task, Options(dir.Path, 5) with { SaveAtEnd = false, Log = log }).Run();
        Assert.Equal(5, result.Iteration);
        Assert.True(result.IterationsPerSecond > 0);
        Assert.False(new CheckpointStore(dir.Path).Exists);
        Assert.Empty(task.Previews);
        Assert.Contains("nothing saved", log.ToString());
    }

    [Fact]
    public void PreviewsAndCheckpointsFollowTheirCadenceAndStatusLinesShowRateAndEta()
    {
        using var dir = new TempDir();
        var task = new ToyTask();
        var log = new StringWriter();
        var saves = new List<long>();
        var loop = new TrainingLoop<ToyBatch>(task, Options(dir.Path, 7) with { PreviewEvery = 2, SaveEvery = 3, Log = log })
        {
            OnIteration = (i, _) => saves.Add(i),
        };
        loop.Run();
        Assert.Equal([2L, 4, 6, 7], task.Previews);
        Assert.Equal("7", File.ReadAllText(Path.Combine(dir.Path, "preview.txt")));
        Assert.Equal(7, new CheckpointStore(dir.Path).ReadLatest().Iteration);
        Assert.Equal(6, ReadState(Path.Combine(dir.Path, CheckpointStore.PreviousName))["iteration"]!.GetValue<long>());
        string text = log.ToString();
        Assert.Contains("iteration 3: loss ", text);
        Assert.Contains("examples/s  eta ", text);
        Assert.Contains(", checkpoint", text);
        Assert.Contains("iteration 6:", text);
        Assert.Contains(", preview, checkpoint", text);
        Assert.Contains("reached iteration 7", text);
    }

    [Fact]
    public void TheCheckpointHoldsEveryPieceOfStateUnderItsName()
    {
        using var dir = new TempDir();
        Train(dir.Path, 3);
        var cp = Path.Combine(dir.Path, CheckpointStore.CurrentName);
        Assert.Equal(["encoder.safetensors", "encoder_adam.safetensors", "head.safetensors", "head_sgd.safetensors", "state.json"],
            Directory.GetFiles(cp).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        var state = ReadState(cp);
        Assert.Equal(CheckpointManifest.CurrentFormat, state["format"]!.GetValue<string>());
        Assert.Equal("toy", state["task"]!.GetValue<string>());
        Assert.Equal(3, state["iteration"]!.GetValue<long>());
        Assert.Equal(8, state["settings"]!["batch"]!.GetValue<int>());
        var sgd = state["optimizers"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "head_sgd")!;
        Assert.Equal("Sgd", sgd["type"]!.GetValue<string>());
        Assert.Equal(3, sgd["scalars"]!["step"]!.GetValue<double>());
        Assert.Equal(4, state["generators"]![0]!["state"]!.AsArray().Count);
        Assert.True(state["lastMetrics"]!["loss"]!.GetValue<double>() > 0);
        Assert.True(state["extra"]!["lossTotal"]!.GetValue<double>() > 0);
        // Buffers are saved with the parameters.
        var (tensors, _) = Doppel.Tensors.IO.SafeTensors.Load(Path.Combine(cp, "encoder.safetensors"));
        Assert.Contains("running_mean", tensors.Keys);
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void AnotherOptimiserOrArchitectureIsRefusedOnLoad()
    {
        using var dir = new TempDir();
        Train(dir.Path, 2);
        var saved = new CheckpointStore(dir.Path).ReadLatest();
        var wide = new ToyTask(new ToySettings { Hidden = 8 });
        var e = Assert.Throws<DoppelException>(() => saved.LoadModule("encoder", wide.Encoder));
        Assert.Contains("does not fit", e.Message);
        Assert.Contains("linear.weight", e.Message);

        var other = new ToyTask();
        e = Assert.Throws<DoppelException>(() => saved.LoadOptimizer("encoder_adam", other.HeadOptimizer));
        Assert.Contains("trained 'encoder_adam' with Adam", e.Message);

        e = Assert.Throws<DoppelException>(() => saved.LoadModule("discriminator", other.Head));
        Assert.Contains("no module 'discriminator'", e.Message);
    }

    [Fact]
    public void AModuleTheTaskMayAddAtAResumeKeepsItsInitialStateWhenTheCheckpointLacksIt()
    {
        using var dir = new TempDir();
        Train(dir.Path, 2);
        var saved = new CheckpointStore(dir.Path).ReadLatest();

        var strict = new CriticTask(addable: false);
        var e = Assert.Throws<DoppelException>(() => TaskCheckpoint.Restore(saved, strict));
        Assert.Contains("no module 'critic'", e.Message);

        var task = new CriticTask(addable: true);
        float[] initial = task.Critic.Weight.ToArray();
        var result = new TrainingLoop<ToyBatch>(task, Options(dir.Path, 3, resume: true)).Run();
        Assert.Equal(1, result.SessionIterations);
        Assert.Equal(initial, task.Critic.Weight.ToArray());
        // From now on the checkpoint holds it.
        Assert.Contains("critic", new CheckpointStore(dir.Path).ReadLatest().Manifest.Modules.Select(m => m.Name));
    }

    [Fact]
    public void BadNamesAreAProgrammingError()
    {
        using var dir = new TempDir();
        Assert.Throws<InvalidOperationException>(() => new TrainingLoop<ToyBatch>(new ClashingNamesTask(), Options(dir.Path, 1)).Run());
        var e = Assert.Throws<InvalidOperationException>(() => new TrainingLoop<ToyBatch>(new BadMetricTask(), Options(dir.Path, 1)).Run());
        Assert.Contains("loss a", e.Message);
    }

    [Fact]
    public void ANewMetricAddsAColumnAndEarlierRowsGetEmptyCells()
    {
        using var dir = new TempDir();
        Train(dir.Path, 4, task: new ToyTask { LateMetricFrom = 2 });
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "metrics.csv"));
        Assert.Equal("iteration,seconds,loss,loss_total,lr_head,late", lines[0]);
        Assert.EndsWith(",", lines[1]);
        Assert.EndsWith(",", lines[2]);
        Assert.EndsWith(",1", lines[3]);
        Assert.EndsWith(",1.5", lines[4]);
        var jsonl = File.ReadAllLines(Path.Combine(dir.Path, "metrics.jsonl"));
        Assert.DoesNotContain("late", jsonl[0]);
        Assert.Contains("\"late\":1.5", jsonl[3]);
    }

    private static JsonObject ReadState(string checkpointDir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(checkpointDir, CheckpointStore.StateFile)))!.AsObject();

    /// <summary>The toy task as another kind of run.</summary>
    private sealed class OtherKindTask : ToyTaskWrapper
    {
        public override string Kind => "other";
    }

    /// <summary>The toy task with one more module, which a checkpoint may lack when <c>addable</c>.</summary>
    private sealed class CriticTask(bool addable) : ToyTaskWrapper
    {
        public Tensors.Nn.Linear Critic { get; } = new(2, 1, new Tensors.Nn.Rng(4));
        public override IReadOnlyList<(string Name, Tensors.Nn.Module Module)> Modules => [.. Inner.Modules, ("critic", Critic)];
        public override IReadOnlySet<string> AddableOnResume => addable ? new HashSet<string> { "critic" } : new HashSet<string>();
    }

    /// <summary>A module and an optimiser that would share a file.</summary>
    private sealed class ClashingNamesTask : ToyTaskWrapper
    {
        public override IReadOnlyList<(string Name, Tensors.Optim.Optimizer Optimizer)> Optimizers => [("encoder", Inner.EncoderOptimizer)];
    }

    /// <summary>A metric name with a space, which cannot be a CSV column.</summary>
    private sealed class BadMetricTask : ToyTaskWrapper
    {
        public override IReadOnlyDictionary<string, double> Step(ToyBatch batch, long iteration) =>
            new Dictionary<string, double>(Inner.Step(batch, iteration)) { ["loss a"] = 1 };
    }

    /// <summary>Reports an infinite metric at the first iteration.</summary>
    private sealed class InfinityTask : ToyTaskWrapper
    {
        public override IReadOnlyDictionary<string, double> Step(ToyBatch batch, long iteration) =>
            new Dictionary<string, double>(Inner.Step(batch, iteration)) { ["late"] = double.PositiveInfinity };
    }
}
